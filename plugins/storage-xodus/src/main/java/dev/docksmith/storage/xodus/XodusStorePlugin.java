package dev.docksmith.storage.xodus;

import dev.docksmith.spi.Store;
import dev.docksmith.spi.StorePlugin;

import java.nio.file.Path;

/**
 * Offers the embedded Xodus store. Its files go in the {@code xodus} folder of the data directory, so they do
 * not mix with other things kept there (compose backups, scripts).
 */
public final class XodusStorePlugin implements StorePlugin {
    /** Where in the data directory the Xodus files live. */
    public static final String FOLDER = "xodus";

    @Override
    public String name() {
        return "storage-xodus";
    }

    /** Above the runtime's in-memory store (which is not a plugin) and above a plain third-party default of 0. */
    @Override
    public int priority() {
        return 100;
    }

    @Override
    public Store open(Path dataDirectory) {
        return XodusStore.open(dataDirectory.resolve(FOLDER));
    }
}
