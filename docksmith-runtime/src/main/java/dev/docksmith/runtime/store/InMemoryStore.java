package dev.docksmith.runtime.store;

import dev.docksmith.api.CheckRecord;
import dev.docksmith.api.HistoryQuery;
import dev.docksmith.api.Operation;
import dev.docksmith.api.OperationQuery;
import dev.docksmith.spi.KeyValue;
import dev.docksmith.spi.Store;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The store used when no store plugin is present: everything lives in this JVM and is gone on restart.
 * Thread-safe. Check history is bounded like the persistent store's, so a long-running process without a
 * store plugin does not grow without end.
 */
public final class InMemoryStore implements Store {
    /** How many check records are kept; the oldest are dropped beyond this. */
    public static final int DEFAULT_MAX_CHECKS = 10_000;

    /** Newest {@code startedAt} first; equal start times by id, highest first, so the order is stable. */
    private static final Comparator<Operation> NEWEST_FIRST =
            Comparator.comparing(Operation::startedAt).thenComparing(Operation::id).reversed();

    /** Orders check records by time, then by arrival, so records at the same instant are all kept. */
    private record CheckKey(Instant checkedAt, long sequence) implements Comparable<CheckKey> {
        @Override
        public int compareTo(CheckKey other) {
            int byTime = checkedAt.compareTo(other.checkedAt);
            return byTime != 0 ? byTime : Long.compare(sequence, other.sequence);
        }
    }

    private final int maxChecks;
    private final Map<String, Operation> operations = new ConcurrentHashMap<>();
    private final ConcurrentSkipListMap<CheckKey, CheckRecord> checks = new ConcurrentSkipListMap<>();
    private final Map<String, NavigableMap<String, String>> values = new ConcurrentHashMap<>();
    private final KeyValue settings = new Settings();
    private long checkSequence;

    public InMemoryStore() {
        this(DEFAULT_MAX_CHECKS);
    }

    public InMemoryStore(int maxChecks) {
        if (maxChecks <= 0) {
            throw new IllegalArgumentException("maxChecks must be greater than 0, was " + maxChecks);
        }
        this.maxChecks = maxChecks;
    }

    @Override
    public void save(Operation operation) {
        Objects.requireNonNull(operation, "operation");
        operations.put(operation.id(), operation);
    }

    @Override
    public Optional<Operation> operation(String id) {
        return Optional.ofNullable(operations.get(id));
    }

    @Override
    public List<Operation> operations(OperationQuery query) {
        return operations.values().stream()
                .filter(query::matches)
                .sorted(NEWEST_FIRST)
                .limit(query.limit())
                .toList();
    }

    @Override
    public synchronized void saveCheck(CheckRecord record) {
        Objects.requireNonNull(record, "record");
        Objects.requireNonNull(record.checkedAt(), "record.checkedAt");
        checks.put(new CheckKey(record.checkedAt(), checkSequence++), record);
        while (checks.size() > maxChecks) {
            checks.pollFirstEntry();
        }
    }

    @Override
    public List<CheckRecord> checks(HistoryQuery query) {
        List<CheckRecord> result = new ArrayList<>();
        for (CheckRecord record : checks.descendingMap().values()) {
            if (query.since() != null && record.checkedAt().isBefore(query.since())) {
                break; // everything further is older still
            }
            if (query.matches(record)) {
                result.add(record);
                if (result.size() == query.limit()) {
                    break;
                }
            }
        }
        return List.copyOf(result);
    }

    @Override
    public KeyValue settings() {
        return settings;
    }

    @Override
    public boolean persistent() {
        return false;
    }

    /** Nothing to release; the data stays readable until the store is dropped. */
    @Override
    public void close() {
    }

    private final class Settings implements KeyValue {
        @Override
        public Optional<String> get(String namespace, String key) {
            NavigableMap<String, String> space = values.get(namespace);
            return space == null ? Optional.empty() : Optional.ofNullable(space.get(key));
        }

        @Override
        public void put(String namespace, String key, String value) {
            Objects.requireNonNull(namespace, "namespace");
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
            values.computeIfAbsent(namespace, n -> new ConcurrentSkipListMap<>()).put(key, value);
        }

        @Override
        public void delete(String namespace, String key) {
            NavigableMap<String, String> space = values.get(namespace);
            if (space != null) {
                space.remove(key);
            }
        }

        @Override
        public List<String> keys(String namespace) {
            NavigableMap<String, String> space = values.get(namespace);
            return space == null ? List.of() : List.copyOf(space.keySet());
        }
    }
}
