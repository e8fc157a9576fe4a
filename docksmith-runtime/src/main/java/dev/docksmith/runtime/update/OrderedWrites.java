package dev.docksmith.runtime.update;

import dev.docksmith.api.Operation;
import dev.docksmith.spi.Store;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * One update's writes of its operation record, in the order made. Most stage records only inform
 * (a disk sync costs ~6 ms, and several per update added 10 % to it), so {@link #later} writes them
 * behind the work; {@link #now} waits, for the records that repair after a crash relies on.
 */
final class OrderedWrites {
    private static final System.Logger LOG = System.getLogger(OrderedWrites.class.getName());

    private final Store store;
    private final Executor executor;
    private CompletableFuture<Void> last = CompletableFuture.completedFuture(null);

    OrderedWrites(Store store, Executor executor) {
        this.store = store;
        this.executor = executor;
    }

    /** Writes after the earlier ones, without waiting; a failure is logged and does not stop later writes. */
    void later(Operation snapshot) {
        queue(snapshot);
    }

    /** Writes after the earlier ones and waits; its failure (a full or read-only disk) is thrown. */
    void now(Operation snapshot) {
        try {
            queue(snapshot).join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    private synchronized CompletableFuture<Void> queue(Operation snapshot) {
        CompletableFuture<Void> previous = last.exceptionally(failure -> null);
        last = previous.thenRunAsync(() -> store.save(snapshot), executor);
        last.whenComplete((ignored, failure) -> {
            if (failure != null) {
                LOG.log(System.Logger.Level.WARNING, "{0}: writing the operation failed: {1}", snapshot.id(), failure.toString());
            }
        });
        return last;
    }
}
