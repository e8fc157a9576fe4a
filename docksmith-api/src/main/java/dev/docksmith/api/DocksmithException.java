package dev.docksmith.api;

/**
 * The one unchecked exception family of Docksmith. Each subclass names a kind of failure, and the
 * message says what was being done ("removing image sha256:ab12"), so a caller can show it as is.
 */
public class DocksmithException extends RuntimeException {
    public DocksmithException(String message) {
        super(message);
    }

    public DocksmithException(String message, Throwable cause) {
        super(message, cause);
    }
}
