package dev.docksmith.runtime.operations;

import dev.docksmith.api.DocksmithException;
import dev.docksmith.api.Operation;
import dev.docksmith.api.OperationStatus;
import dev.docksmith.spi.Store;

import java.time.Clock;
import java.util.function.Function;

/**
 * Records every state-changing action as an {@link Operation}. The running record is written
 * before the action touches anything, so a store that cannot write (full or read-only disk) stops
 * the action before it starts, and a crash leaves a record that start-up can resolve.
 */
public final class OperationLog {
    private static final System.Logger LOG = System.getLogger(OperationLog.class.getName());

    private final Store store;
    private final Clock clock;
    private final OperationIds ids;

    public OperationLog(Store store, Clock clock) {
        this.store = store;
        this.clock = clock;
        this.ids = new OperationIds(clock);
    }

    /** The result of an action together with the operation that recorded it. */
    public record Recorded<T>(Operation operation, T result) {
    }

    /**
     * Runs {@code action} inside a new operation: saved as running first, then saved as complete
     * with the action's result, or as failed with its message (and the exception rethrown).
     */
    public <T> Recorded<T> run(String type, String container, String stack, Function<Operation, T> action) {
        Operation op = Operation.start(ids.next(), type, container, stack, clock.instant());
        store.save(op);
        try {
            T result = action.apply(op);
            Operation done = op.complete(clock.instant());
            store.save(done);
            LOG.log(System.Logger.Level.INFO, "{0} {1} {2}: complete", done.id(), type, describe(container));
            return new Recorded<>(done, result);
        } catch (RuntimeException e) {
            saveFailure(op, e);
            throw e;
        }
    }

    /** A fresh id, for callers that build their own operation records. */
    public String newId() {
        return ids.next();
    }

    private void saveFailure(Operation op, RuntimeException e) {
        String why = e instanceof DocksmithException ? e.getMessage() : e.getClass().getSimpleName() + ": " + e.getMessage();
        try {
            store.save(op.end(OperationStatus.FAILED, why, clock.instant()));
        } catch (RuntimeException storeFailure) {
            e.addSuppressed(storeFailure);
        }
        LOG.log(System.Logger.Level.WARNING, "{0} {1} {2}: failed: {3}", op.id(), op.type(), describe(op.containerName()), why);
    }

    private static String describe(String container) {
        return container == null ? "(host)" : container;
    }
}
