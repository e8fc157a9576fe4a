package dev.docksmith.api;

/**
 * The Docker engine refused or failed a call. {@code status} is the engine's HTTP status, or 0 when
 * the engine could not be reached at all (see {@link #unreachable()}).
 */
public class DockerException extends DocksmithException {
    private final int status;

    public DockerException(int status, String message) {
        super(message);
        this.status = status;
    }

    public DockerException(int status, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    /** The engine's HTTP status, 0 when it did not answer. */
    public int status() {
        return status;
    }

    /** True when the engine could not be reached (socket missing, refused, timed out). */
    public boolean unreachable() {
        return status == 0;
    }
}
