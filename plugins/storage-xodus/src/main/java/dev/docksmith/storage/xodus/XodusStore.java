package dev.docksmith.storage.xodus;

import dev.docksmith.api.CheckRecord;
import dev.docksmith.api.HistoryQuery;
import dev.docksmith.api.Operation;
import dev.docksmith.api.OperationQuery;
import dev.docksmith.api.StorageException;
import dev.docksmith.spi.KeyValue;
import dev.docksmith.spi.Store;
import jetbrains.exodus.ArrayByteIterable;
import jetbrains.exodus.ByteIterable;
import jetbrains.exodus.ExodusException;
import jetbrains.exodus.env.Cursor;
import jetbrains.exodus.env.Environment;
import jetbrains.exodus.env.StoreConfig;
import jetbrains.exodus.env.Transaction;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The embedded persistent store, on Xodus's key-value API. Four Xodus stores in one environment:
 * <ul>
 *   <li>{@code operations}: id to the operation as JSON;</li>
 *   <li>{@code operations_by_start}: start time + id to id, walked backwards for newest-first listings;</li>
 *   <li>{@code checks}: check time + sequence to the record as JSON, newest-first the same way, trimmed from
 *       the oldest end once there are more than {@code maxChecks};</li>
 *   <li>{@code settings}: namespace + NUL + key to the value as UTF-8.</li>
 * </ul>
 * Every write is one transaction, committed with an fsync before the call returns (see {@link XodusEnvironment}),
 * and runs on the store's {@link WriterThread}. Thread-safe: reads run on the caller's thread in Xodus read-only
 * transactions, which see the last committed state.
 */
public final class XodusStore implements Store {
    /** How many check records are kept by default; the oldest are trimmed beyond this. */
    public static final int DEFAULT_MAX_CHECKS = 10_000;

    private final Path directory;
    private final int maxChecks;
    private final Environment env;
    private final jetbrains.exodus.env.Store operations;
    private final jetbrains.exodus.env.Store byStart;
    private final jetbrains.exodus.env.Store checks;
    private final jetbrains.exodus.env.Store settingsStore;
    private final KeyValue settings = new Settings();
    private final WriterThread writer;
    private volatile boolean closed;

    private XodusStore(Path directory, Environment env, int maxChecks, WriterThread writer) {
        this.directory = directory;
        this.env = env;
        this.maxChecks = maxChecks;
        this.writer = writer;
        this.operations = openStore("operations");
        this.byStart = openStore("operations_by_start");
        this.checks = openStore("checks");
        this.settingsStore = openStore("settings");
    }

    /** Opens (creating if needed) one of the environment's key-value stores; creating one is a write. */
    private jetbrains.exodus.env.Store openStore(String name) {
        return writer.call(() -> env.computeInTransaction(
                txn -> env.openStore(name, StoreConfig.WITHOUT_DUPLICATES_WITH_PREFIXING, txn)));
    }

    /** Opens (creating if needed) the store in {@code directory}, keeping the default number of checks. */
    public static XodusStore open(Path directory) {
        return open(directory, DEFAULT_MAX_CHECKS);
    }

    /**
     * Opens (creating if needed) the store in {@code directory}.
     *
     * @throws StorageException naming the directory and why it cannot be used (locked by another process,
     *                          not writable, not a directory, corrupt)
     */
    public static XodusStore open(Path directory, int maxChecks) {
        if (maxChecks <= 0) {
            throw new IllegalArgumentException("maxChecks must be greater than 0, was " + maxChecks);
        }
        Path dir = directory.toAbsolutePath().normalize();
        WriterThread writer = new WriterThread("docksmith-xodus-writer " + dir);
        Environment env;
        try {
            env = writer.call(() -> XodusEnvironment.open(dir));
        } catch (RuntimeException e) {
            writer.shutdown(() -> { });
            throw e;
        }
        try {
            return new XodusStore(dir, env, maxChecks, writer);
        } catch (ExodusException e) {
            writer.shutdown(env::close);
            throw new StorageException("opening the store in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The directory the store lives in. */
    public Path directory() {
        return directory;
    }

    @Override
    public void save(Operation operation) {
        Objects.requireNonNull(operation, "operation");
        ByteIterable id = Keys.utf8(operation.id());
        ByteIterable json = new ArrayByteIterable(JsonCodec.write(operation));
        write("saving operation " + operation.id(), txn -> {
            ByteIterable previous = operations.get(txn, id);
            if (previous != null) {
                Instant previousStart = JsonCodec.readOperation(previous.getBytesUnsafe(), previous.getLength()).startedAt();
                byStart.delete(txn, Keys.startedAt(previousStart, operation.id()));
            }
            operations.put(txn, id, json);
            byStart.put(txn, Keys.startedAt(operation.startedAt(), operation.id()), id);
        });
    }

    @Override
    public Optional<Operation> operation(String id) {
        Objects.requireNonNull(id, "id");
        return read("reading operation " + id, txn -> Optional.ofNullable(operations.get(txn, Keys.utf8(id))).map(XodusStore::operation));
    }

    @Override
    public List<Operation> operations(OperationQuery query) {
        return read("listing operations", txn -> {
            List<Operation> result = new ArrayList<>();
            try (Cursor cursor = byStart.openCursor(txn)) {
                for (boolean more = cursor.getLast(); more && result.size() < query.limit(); more = cursor.getPrev()) {
                    ByteIterable json = operations.get(txn, cursor.getValue());
                    if (json == null) {
                        continue; // cannot happen: both are written in one transaction
                    }
                    Operation op = operation(json);
                    if (query.matches(op)) {
                        result.add(op);
                    }
                }
            }
            return result;
        });
    }

    @Override
    public void saveCheck(CheckRecord record) {
        saveChecks(List.of(record));
    }

    /** All records in one transaction: one disk sync for a whole check, not one per container. */
    @Override
    public void saveChecks(List<CheckRecord> records) {
        List<ByteIterable> json = new ArrayList<>(records.size());
        for (CheckRecord record : records) {
            Objects.requireNonNull(record, "record");
            Objects.requireNonNull(record.checkedAt(), "record.checkedAt");
            json.add(new ArrayByteIterable(JsonCodec.write(record)));
        }
        if (records.isEmpty()) {
            return;
        }
        write("saving " + records.size() + " check result(s)", txn -> {
            for (int i = 0; i < records.size(); i++) {
                ByteIterable time = Keys.checkedAt(records.get(i).checkedAt());
                checks.put(txn, Keys.checkedAt(records.get(i).checkedAt(), nextSequenceAt(txn, time)), json.get(i));
            }
            long excess = checks.count(txn) - maxChecks;
            try (Cursor oldest = checks.openCursor(txn)) {
                for (; excess > 0 && oldest.getNext(); excess--) {
                    oldest.deleteCurrent();
                }
            }
        });
    }

    /** One more than the highest sequence already used at this exact instant (usually 0). */
    private long nextSequenceAt(Transaction txn, ByteIterable time) {
        long next = 0;
        try (Cursor cursor = checks.openCursor(txn)) {
            // getSearchKeyRange returns the value; the cursor is then on the first key at or after its argument.
            for (boolean more = cursor.getSearchKeyRange(time) != null; more && Keys.sameTime(cursor.getKey(), time);
                 more = cursor.getNext()) {
                next = Keys.sequence(cursor.getKey()) + 1;
            }
        }
        return next;
    }

    @Override
    public List<CheckRecord> checks(HistoryQuery query) {
        return read("listing check history", txn -> {
            List<CheckRecord> result = new ArrayList<>();
            try (Cursor cursor = checks.openCursor(txn)) {
                for (boolean more = cursor.getLast(); more && result.size() < query.limit(); more = cursor.getPrev()) {
                    if (query.since() != null && Keys.instant(cursor.getKey()).isBefore(query.since())) {
                        break; // keys are in time order: everything further back is older still
                    }
                    ByteIterable json = cursor.getValue();
                    CheckRecord record = JsonCodec.readCheck(json.getBytesUnsafe(), json.getLength());
                    if (query.matches(record)) {
                        result.add(record);
                    }
                }
            }
            return result;
        });
    }

    @Override
    public KeyValue settings() {
        return settings;
    }

    /** Releases the files and the directory lock. Safe to call more than once. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        try {
            writer.shutdown(env::close); // after any write already queued
        } catch (ExodusException e) {
            throw new StorageException("closing the store in " + directory + ": " + e.getMessage(), e);
        } finally {
            writer.awaitEnd();
        }
    }

    private static Operation operation(ByteIterable json) {
        return JsonCodec.readOperation(json.getBytesUnsafe(), json.getLength());
    }

    private interface Work<T> {
        T run(Transaction txn);
    }

    private interface WriteWork {
        void run(Transaction txn);
    }

    private <T> T read(String action, Work<T> work) {
        return guarded(action, () -> env.computeInReadonlyTransaction(work::run));
    }

    private void write(String action, WriteWork work) {
        guarded(action, () -> writer.call(() -> {
            env.executeInTransaction(work::run);
            return null;
        }));
    }

    /** Turns Xodus's and the codec's exceptions into a StorageException that says what was being done where. */
    private <T> T guarded(String action, Supplier<T> call) {
        if (closed) {
            throw new StorageException(action + ": the store in " + directory + " is closed", null);
        }
        try {
            return call.get();
        } catch (ExodusException | IllegalStateException | IllegalArgumentException | java.time.DateTimeException e) {
            throw new StorageException(action + " in " + directory + ": " + e.getMessage(), e);
        }
    }

    private final class Settings implements KeyValue {
        @Override
        public Optional<String> get(String namespace, String key) {
            ByteIterable id = Keys.setting(namespace, key);
            return read("reading setting " + namespace + "/" + key,
                    txn -> Optional.ofNullable(settingsStore.get(txn, id)).map(Keys::text));
        }

        @Override
        public void put(String namespace, String key, String value) {
            Objects.requireNonNull(value, "value");
            ByteIterable id = Keys.setting(namespace, key);
            ByteIterable bytes = Keys.utf8(value);
            write("saving setting " + namespace + "/" + key, txn -> settingsStore.put(txn, id, bytes));
        }

        @Override
        public void delete(String namespace, String key) {
            ByteIterable id = Keys.setting(namespace, key);
            write("deleting setting " + namespace + "/" + key, txn -> settingsStore.delete(txn, id));
        }

        @Override
        public List<String> keys(String namespace) {
            byte[] prefix = Keys.namespacePrefix(namespace);
            return read("listing settings in " + namespace, txn -> {
                List<String> keys = new ArrayList<>();
                try (Cursor cursor = settingsStore.openCursor(txn)) {
                    for (boolean more = cursor.getSearchKeyRange(new ArrayByteIterable(prefix)) != null;
                         more && Keys.startsWith(cursor.getKey(), prefix); more = cursor.getNext()) {
                        keys.add(Keys.settingKey(cursor.getKey(), prefix.length));
                    }
                }
                // Byte order is code-point order; Java's String order differs for a few characters, so sort as the API promises.
                Collections.sort(keys);
                return keys;
            });
        }
    }
}
