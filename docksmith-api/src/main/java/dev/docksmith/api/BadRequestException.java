package dev.docksmith.api;

/** The caller's input is invalid; nothing was changed. The HTTP API answers 400. */
public class BadRequestException extends DocksmithException {
    /**
     * Invalid input.
     *
     * @param message what is wrong with the input, naming it
     */
    public BadRequestException(String message) {
        super(message);
    }

    /**
     * Invalid input, found through another exception.
     *
     * @param message what is wrong with the input, naming it
     * @param cause   the underlying exception
     */
    public BadRequestException(String message, Throwable cause) {
        super(message, cause);
    }
}
