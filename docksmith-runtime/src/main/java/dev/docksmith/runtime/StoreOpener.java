package dev.docksmith.runtime;

import dev.docksmith.api.Operation;
import dev.docksmith.runtime.update.StoredPlan;
import dev.docksmith.runtime.update.UpdateRecovery;
import dev.docksmith.api.OperationQuery;
import dev.docksmith.api.OperationStatus;
import dev.docksmith.runtime.store.InMemoryStore;
import dev.docksmith.spi.Plugin;
import dev.docksmith.spi.PluginContext;
import dev.docksmith.spi.Store;
import dev.docksmith.spi.PrivateFiles;
import dev.docksmith.spi.StorePlugin;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * Chooses and opens the store: the highest-priority store plugin, else the in-memory one with a
 * warning that nothing will persist. A store plugin that fails to open is a start-up error, not a
 * silent fall-back: quietly losing every operation would be worse than not starting.
 */
final class StoreOpener {
    private static final System.Logger LOG = System.getLogger(StoreOpener.class.getName());

    /** The store in use and where it came from. */
    record Opened(Store store, String plugin, Path dataDir) {
    }

    private StoreOpener() {
    }

    /**
     * Starts the chosen store plugin (adding it to {@code started}) and opens its store.
     *
     * @param plugins highest priority first ({@link dev.docksmith.runtime.plugin.PluginLoader#byPriority}): the first is chosen
     */
    static Opened open(List<StorePlugin> plugins, Path dataDir, PluginContext context, List<Plugin> started) {
        if (plugins.isEmpty()) {
            LOG.log(System.Logger.Level.WARNING, "no store plugin found: using the in-memory store, operations will NOT survive a restart");
            return new Opened(new InMemoryStore(), "in-memory", null);
        }
        StorePlugin chosen = plugins.get(0);
        privateDataDir(dataDir);
        chosen.start(context);
        started.add(chosen);
        Store store = chosen.open(dataDir);
        LOG.log(System.Logger.Level.INFO, "store {0} opened at {1}", chosen.name(), dataDir.toAbsolutePath());
        return new Opened(store, chosen.name(), dataDir);
    }

    /**
     * Creates the data directory {@code 0700}, or makes an existing one so, saying it was open: the
     * store keeps update plans with compose files' bytes, and compose files often hold passwords. What
     * a store plugin writes inside is its own to keep private (the Xodus one keeps its files 0600).
     * A directory Docksmith may not change (another user's, a read-only mount) is only warned about;
     * the store plugin then says whether it can use it at all.
     */
    static void privateDataDir(Path dataDir) {
        try {
            PrivateFiles.createDirectories(dataDir);
            String was = PrivateFiles.restrict(dataDir);
            if (was != null) {
                LOG.log(System.Logger.Level.WARNING, "the data directory {0} (DOCKSMITH_DATA) was open to other users ({1});"
                        + " changed to rwx------, as it holds compose files, which often hold passwords", dataDir.toAbsolutePath(), was);
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot make the data directory {0} (DOCKSMITH_DATA) private to its owner: {1}",
                    dataDir.toAbsolutePath(), e.toString());
        }
    }

    /**
     * Marks operations that were running when the previous process stopped as failed, saying so,
     * so none is left in flight for ever. Returns how many were resolved.
     */
    static List<Operation> resolveInterrupted(Store store, Instant now) {
        List<Operation> unfinished = store.operations(OperationQuery.all()).stream()
                .filter(op -> !op.status().terminal())
                .filter(op -> !UpdateRecovery.handles(op)) // repaired by its strategy once plugins have started
                .toList();
        for (Operation op : unfinished) {
            // An update without a stored plan stopped before its strategy touched anything; say where it was.
            String stage = op.details().get(StoredPlan.STAGE);
            String why = stage == null
                    ? "Docksmith stopped while this operation was " + op.status().wire() + "; marked failed on start-up"
                    : "Docksmith stopped during " + stage + " (its last recorded stage), before the update had changed "
                    + "anything; marked failed on start-up";
            Operation failed = op.end(OperationStatus.FAILED, why, now);
            store.save(failed);
            LOG.log(System.Logger.Level.WARNING, "operation {0} ({1} {2}) was left {3} by the previous run; marked failed",
                    op.id(), op.type(), op.containerName(), op.status().wire());
        }
        return unfinished;
    }
}
