package dev.docksmith.api;

/** A container, image, network, volume, operation or other named thing does not exist. */
public class NotFoundException extends DocksmithException {
    public NotFoundException(String message) {
        super(message);
    }
}
