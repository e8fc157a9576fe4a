package dev.docksmith.spi;

import java.nio.file.Path;

/**
 * Offers a {@link Store}. When several are found, the one with the highest {@link #priority()} is
 * started and opened, once, on the runtime's data directory ({@code DOCKSMITH_DATA}); the others are
 * not used. With none, the runtime keeps everything in memory and logs that nothing will persist.
 */
public interface StorePlugin extends Plugin {
    /**
     * Ranks this store plugin against others present. The bundled Xodus store answers 100.
     *
     * @return the priority; higher wins
     */
    default int priority() {
        return 0;
    }

    /**
     * Opens (creating if needed) the store kept under {@code dataDirectory}. Called once, after
     * {@link #start}, on a thread of its own while the rest of the runtime starts. Keep the store's
     * files in a folder of their own inside the directory, which other parts of Docksmith use too.
     *
     * @param dataDirectory the data directory; it may not exist yet
     * @return the open store, never null; the runtime closes it when it stops
     * @throws dev.docksmith.api.StorageException when the directory cannot be used (locked by another
     *                                            process, not writable); start-up then fails with
     *                                            this message
     */
    Store open(Path dataDirectory);
}
