package dev.docksmith.api;

/**
 * An update step failed; the message says which step and why, and what was put back. Update
 * strategies throw it for failures they expect; the runtime records the message as the operation's
 * error.
 */
public class UpdateException extends DocksmithException {
    /**
     * A failed update step.
     *
     * @param message which step failed, why, and what was put back
     */
    public UpdateException(String message) {
        super(message);
    }

    /**
     * A failed update step, caused by another exception.
     *
     * @param message which step failed, why, and what was put back
     * @param cause   the underlying exception
     */
    public UpdateException(String message, Throwable cause) {
        super(message, cause);
    }
}
