package dev.docksmith.api;

/**
 * A container and the version it could move to, as a pre-update check sees it. Immutable.
 *
 * @param container      the container, as the engine reports it now
 * @param image          the image reference it runs
 * @param currentVersion the version it runs (usually its tag), or null when unknown
 * @param targetVersion  the version it would move to, or null when unknown
 */
public record UpdateCandidate(ContainerInfo container, String image, String currentVersion, String targetVersion) {
}
