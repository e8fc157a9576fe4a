package dev.docksmith.spi;

import dev.docksmith.api.CheckRecord;
import dev.docksmith.api.HistoryQuery;
import dev.docksmith.api.Operation;
import dev.docksmith.api.OperationQuery;

import java.util.List;
import java.util.Optional;

/** Persistence for operations, check history and small settings. One store is in use at a time. */
public interface Store extends AutoCloseable {
    /** Inserts or replaces by id; durable on return. */
    void save(Operation operation);

    /** One operation by id. */
    Optional<Operation> operation(String id);

    /** Operations matching the query, newest {@code startedAt} first. */
    List<Operation> operations(OperationQuery query);

    /** Appends one check result; durable on return. */
    void saveCheck(CheckRecord record);

    /**
     * Appends several check results; a store should write them in one transaction (one check of a
     * hundred containers must not cost a hundred disk syncs). Durable on return.
     */
    default void saveChecks(List<CheckRecord> records) {
        records.forEach(this::saveCheck);
    }

    /** Check results matching the query, newest first. */
    List<CheckRecord> checks(HistoryQuery query);

    /** Small durable values. */
    KeyValue settings();

    /** True when what is saved survives a restart (false for the in-memory store). */
    default boolean persistent() {
        return true;
    }

    /** Releases files and locks; saved data stays. */
    @Override
    void close();
}
