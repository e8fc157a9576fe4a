package dev.docksmith.api;

/**
 * A container and the version it could move to, as a pre-update check sees it. Immutable.
 *
 * @param container      the container, as the engine reports it now
 * @param image          the image reference it runs
 * @param currentVersion the tag it runs, as the registry spells it ({@code 1.25.3-alpine}), or null when unknown
 * @param targetVersion  the tag it would move to, as the registry spells it ({@code 1.27.1-alpine}), or null
 *                       when unknown
 */
public record UpdateCandidate(ContainerInfo container, String image, String currentVersion, String targetVersion) {
}
