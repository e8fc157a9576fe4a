package dev.docksmith.spi;

import dev.docksmith.api.CheckRecord;
import dev.docksmith.api.HistoryQuery;
import dev.docksmith.api.Operation;
import dev.docksmith.api.OperationQuery;

import java.util.List;
import java.util.Optional;

/**
 * Persistence for operations, check history and small settings. One store is in use at a time, and
 * it owns its directory until {@link #close()}.
 *
 * <p>Implementations are thread-safe: the runtime calls them from HTTP handlers, check workers and
 * update threads at once, and no concurrent write may be lost. Each write is durable when it returns
 * (unless {@link #persistent()} is false): an update's plan is saved before anything is changed, so
 * that a crash can be repaired on the next start. Values read back equal the values saved (records
 * compare by value; instants keep at least microsecond precision). A store that cannot read or write
 * throws {@link dev.docksmith.api.StorageException} saying what it was doing and where.
 * {@code dev.docksmith.tck.StoreContract} in the plugin TCK tests all of this.
 */
public interface Store extends AutoCloseable {
    /**
     * Inserts or replaces an operation by its id; durable on return.
     *
     * @param operation the operation; not null
     * @throws dev.docksmith.api.StorageException when it cannot be written
     */
    void save(Operation operation);

    /**
     * One operation by id.
     *
     * @param id the operation's id; not null
     * @return the last version saved under that id, or empty when there is none
     * @throws dev.docksmith.api.StorageException when the store cannot be read
     */
    Optional<Operation> operation(String id);

    /**
     * Operations matching the query, each id once, newest {@link Operation#startedAt()} first; at most
     * {@link OperationQuery#limit()} of them, the newest ones.
     *
     * @param query the filters and limit; not null
     * @return the matching operations, never null
     * @throws dev.docksmith.api.StorageException when the store cannot be read
     */
    List<Operation> operations(OperationQuery query);

    /**
     * Appends one check result; durable on return. Records with the same time are all kept.
     *
     * @param record the check result; not null
     * @throws dev.docksmith.api.StorageException when it cannot be written
     */
    void saveCheck(CheckRecord record);

    /**
     * Appends several check results; a store should write them in one transaction (one check of a
     * hundred containers must not cost a hundred disk syncs). Durable on return.
     *
     * @param records the check results, in any order; not null
     * @throws dev.docksmith.api.StorageException when they cannot be written
     */
    default void saveChecks(List<CheckRecord> records) {
        records.forEach(this::saveCheck);
    }

    /**
     * Check results matching the query, newest {@link CheckRecord#checkedAt()} first; at most
     * {@link HistoryQuery#limit()} of them, the newest ones. A store may drop the oldest records
     * beyond a bound of its own (at least a few thousand), so history does not grow without end.
     *
     * @param query the filters and limit; not null
     * @return the matching records, never null
     * @throws dev.docksmith.api.StorageException when the store cannot be read
     */
    List<CheckRecord> checks(HistoryQuery query);

    /**
     * Small durable values, kept in the same store.
     *
     * @return the key-value view, never null; the same for the store's whole life
     */
    KeyValue settings();

    /**
     * Whether what is saved survives a restart; {@code /api/docker-config} shows it.
     *
     * @return true unless the store keeps everything in memory (false for the runtime's fallback store)
     */
    default boolean persistent() {
        return true;
    }

    /**
     * Releases files, locks and threads; saved data stays, and a new store opened on the same
     * directory sees it. Calling it again does nothing. No other method may be called afterwards.
     *
     * @throws dev.docksmith.api.StorageException when the store cannot be closed cleanly
     */
    @Override
    void close();
}
