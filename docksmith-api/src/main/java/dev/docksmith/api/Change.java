package dev.docksmith.api;

/**
 * What an update asks a strategy to do to one container.
 *
 * @param container the container as it runs now
 * @param newImage  the image reference it should run ({@code nginx:1.26.0})
 */
public record Change(ContainerInfo container, String newImage) {
}
