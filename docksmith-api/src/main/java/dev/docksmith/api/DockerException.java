package dev.docksmith.api;

/**
 * The Docker engine refused or failed a call. {@code status} is the engine's HTTP status, or 0 when
 * the engine could not be reached at all (see {@link #unreachable()}). The runtime reports a 404 or
 * 409 from the engine as {@link NotFoundException} or {@link ConflictException} instead. The HTTP API
 * answers 503 when the engine is unreachable, the engine's own status for most 4xx, and 502
 * otherwise.
 */
public class DockerException extends DocksmithException {
    /** The engine's HTTP status, 0 when it did not answer. */
    private final int status;

    /**
     * An engine failure.
     *
     * @param status  the engine's HTTP status, or 0 when it could not be reached
     * @param message what was being done and the engine's message
     */
    public DockerException(int status, String message) {
        super(message);
        this.status = status;
    }

    /**
     * An engine failure caused by another exception (an I/O error, for example).
     *
     * @param status  the engine's HTTP status, or 0 when it could not be reached
     * @param message what was being done and what went wrong
     * @param cause   the underlying exception
     */
    public DockerException(int status, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    /**
     * The engine's HTTP status.
     *
     * @return the status, or 0 when the engine did not answer
     */
    public int status() {
        return status;
    }

    /**
     * Whether the engine could not be reached (socket missing, connection refused, no answer in time).
     * The runtime recovers by itself when the engine returns.
     *
     * @return true when {@link #status()} is 0
     */
    public boolean unreachable() {
        return status == 0;
    }
}
