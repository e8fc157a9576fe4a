package dev.docksmith.api;

/** The request conflicts with the current state (an image still in use, an operation already running). */
public class ConflictException extends DocksmithException {
    public ConflictException(String message) {
        super(message);
    }
}
