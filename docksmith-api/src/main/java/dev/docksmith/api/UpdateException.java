package dev.docksmith.api;

/**
 * An update step failed; the message says which step and why, and what was put back. Update
 * strategies throw it for failures they expect; the runtime records the message as the operation's
 * error.
 */
public class UpdateException extends DocksmithException {
    /** Whether what the update had changed was all put back before this was thrown. */
    private final boolean putBack;

    /**
     * A failed update step.
     *
     * @param message which step failed, why, and what was put back
     */
    public UpdateException(String message) {
        this(message, null, true);
    }

    /**
     * A failed update step, caused by another exception.
     *
     * @param message which step failed, why, and what was put back
     * @param cause   the underlying exception
     */
    public UpdateException(String message, Throwable cause) {
        this(message, cause, true);
    }

    /**
     * A failed update step, saying whether what the update had changed was put back.
     *
     * @param message which step failed, why, and what was or was not put back
     * @param cause   the underlying exception, or null
     * @param putBack false when the previous definition and container are not (all) back: a
     *                put-back that failed too, or a failure left in place on purpose
     */
    public UpdateException(String message, Throwable cause, boolean putBack) {
        super(message, cause);
        this.putBack = putBack;
    }

    /**
     * Whether everything the update had changed was put back before this was thrown. The two other
     * constructors say yes: a strategy puts back what it changed before it throws.
     *
     * @return false when the container or its definition may still be on the new version, or half-way
     */
    public boolean putBack() {
        return putBack;
    }
}
