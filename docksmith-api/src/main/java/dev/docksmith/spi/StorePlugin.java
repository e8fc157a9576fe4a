package dev.docksmith.spi;

import java.nio.file.Path;

/** Offers a {@link Store}. When several are found, the highest {@link #priority()} is used. */
public interface StorePlugin extends Plugin {
    /** Higher wins when more than one store plugin is present. */
    default int priority() {
        return 0;
    }

    /**
     * Opens (creating if needed) the store kept under {@code dataDirectory}.
     *
     * @throws dev.docksmith.api.StorageException when the directory cannot be used
     */
    Store open(Path dataDirectory);
}
