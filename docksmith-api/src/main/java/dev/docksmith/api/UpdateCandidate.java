package dev.docksmith.api;

/**
 * A container and the version it could move to, as a pre-update check sees it.
 *
 * @param container      the container
 * @param image          the image reference it runs
 * @param currentVersion the version it runs
 * @param targetVersion  the version it would move to
 */
public record UpdateCandidate(ContainerInfo container, String image, String currentVersion, String targetVersion) {
}
