package dev.docksmith.api;

/** An update step failed; the message says which step and why. */
public class UpdateException extends DocksmithException {
    public UpdateException(String message) {
        super(message);
    }

    public UpdateException(String message, Throwable cause) {
        super(message, cause);
    }
}
