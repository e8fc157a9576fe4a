package dev.docksmith.api;

/**
 * A registry refused or failed a request. The message says what was being done ("listing tags of
 * ghcr.io/x/y: 401 unauthorized"); {@code status} is the registry's HTTP status, 0 when it did not
 * answer at all. A repository that does not exist is a {@link NotFoundException} instead.
 */
public class RegistryException extends DocksmithException {
    /** The registry's HTTP status, 0 when it did not answer. */
    private final int status;

    /**
     * A registry failure.
     *
     * @param status  the registry's HTTP status, or 0 when it could not be reached
     * @param message what was being done and what the registry said
     */
    public RegistryException(int status, String message) {
        super(message);
        this.status = status;
    }

    /**
     * A registry failure caused by another exception (an I/O error, for example).
     *
     * @param status  the registry's HTTP status, or 0 when it could not be reached
     * @param message what was being done and what went wrong
     * @param cause   the underlying exception
     */
    public RegistryException(int status, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    /**
     * The registry's HTTP status.
     *
     * @return the status (401, 429, 500, ...), or 0 when the registry could not be reached
     */
    public int status() {
        return status;
    }
}
