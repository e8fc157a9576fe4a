package dev.docksmith.api;

/** The store could not read or write durable state. */
public class StorageException extends DocksmithException {
    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
