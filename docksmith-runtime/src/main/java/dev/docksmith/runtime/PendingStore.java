package dev.docksmith.runtime;

import dev.docksmith.api.CheckRecord;
import dev.docksmith.api.HistoryQuery;
import dev.docksmith.api.Operation;
import dev.docksmith.api.OperationQuery;
import dev.docksmith.spi.KeyValue;
import dev.docksmith.spi.Store;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A store that is still opening. Opening the embedded store is the slowest part of start-up (class
 * loading and file checks), so it runs beside the rest; anything that uses the store before it is
 * ready waits for it. {@link Docksmith#start()} also waits, so a store that fails to open still
 * fails start-up.
 */
final class PendingStore implements Store {
    private final CompletableFuture<StoreOpener.Opened> opening;

    PendingStore(CompletableFuture<StoreOpener.Opened> opening) {
        this.opening = opening;
    }

    /** Waits for the store; rethrows what stopped it from opening. */
    StoreOpener.Opened await() {
        try {
            return opening.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }

    private Store store() {
        return await().store();
    }

    @Override
    public void save(Operation operation) {
        store().save(operation);
    }

    @Override
    public Optional<Operation> operation(String id) {
        return store().operation(id);
    }

    @Override
    public List<Operation> operations(OperationQuery query) {
        return store().operations(query);
    }

    @Override
    public void saveCheck(CheckRecord record) {
        store().saveCheck(record);
    }

    @Override
    public List<CheckRecord> checks(HistoryQuery query) {
        return store().checks(query);
    }

    @Override
    public KeyValue settings() {
        return store().settings();
    }

    @Override
    public boolean persistent() {
        return store().persistent();
    }

    @Override
    public void close() {
        try {
            store().close();
        } catch (RuntimeException e) {
            // It never opened, so there is nothing to close; start() reports why.
        }
    }
}
