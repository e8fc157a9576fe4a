package dev.docksmith.api;

/** The caller's input is invalid; nothing was changed. */
public class BadRequestException extends DocksmithException {
    public BadRequestException(String message) {
        super(message);
    }

    public BadRequestException(String message, Throwable cause) {
        super(message, cause);
    }
}
