package dev.docksmith.api;

/**
 * The store could not read or write durable state (disk full, directory locked by another process,
 * corrupt data). What was being written may not have been kept. The HTTP API answers 500 with code
 * {@code STORAGE_ERROR}.
 */
public class StorageException extends DocksmithException {
    /**
     * A storage failure.
     *
     * @param message what was being read or written, and where
     * @param cause   the underlying exception; may be null
     */
    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
