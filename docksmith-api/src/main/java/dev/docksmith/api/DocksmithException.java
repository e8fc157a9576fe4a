package dev.docksmith.api;

/**
 * The one unchecked exception family of Docksmith. Each subclass names a kind of failure, and the
 * message says what was being done ("removing image sha256:ab12"), so a caller can show it as is.
 *
 * <p>The runtime's HTTP API maps them to statuses: {@link BadRequestException} 400,
 * {@link NotFoundException} 404, {@link ConflictException} 409, {@link DockerException} mostly 502
 * (503 when the engine is unreachable); any other, this class included, is 500 with its message. A
 * plugin throws the subclass that says what happened and lets it propagate.
 */
public class DocksmithException extends RuntimeException {
    /**
     * A failure with a message and no cause.
     *
     * @param message what was being done and what went wrong
     */
    public DocksmithException(String message) {
        super(message);
    }

    /**
     * A failure caused by another exception.
     *
     * @param message what was being done and what went wrong
     * @param cause   the underlying exception, kept for logs
     */
    public DocksmithException(String message, Throwable cause) {
        super(message, cause);
    }
}
