package dev.docksmith.api;

/**
 * A registry refused or failed a request. The message says what was being done ("listing tags of
 * ghcr.io/x/y: 401 unauthorized"); {@code status} is the registry's HTTP status, 0 when it did not
 * answer at all.
 */
public class RegistryException extends DocksmithException {
    private final int status;

    public RegistryException(int status, String message) {
        super(message);
        this.status = status;
    }

    public RegistryException(int status, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    /** The registry's HTTP status, or 0 when it could not be reached. */
    public int status() {
        return status;
    }
}
