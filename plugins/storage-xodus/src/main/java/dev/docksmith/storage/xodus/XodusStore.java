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

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
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

    private static final System.Logger LOG = System.getLogger(XodusStore.class.getName());

    private final Path directory;
    private final int maxChecks;
    private final KeyValue settings = new Settings();
    private final WriterThread writer;
    /** The open environment and its stores; replaced (on the writer thread) when it had to be reopened. */
    private volatile Handles handles;
    /**
     * Set when a write failed inside Xodus. After some failures (a log file that turned read-only under it)
     * Xodus refuses every later transaction, reads included ("Environment is inoperative"), until the
     * environment is reopened; the next call reopens it, so such a fault costs the writes made meanwhile,
     * not a restart. Reopening after a failure that did not need it is harmless.
     */
    private volatile boolean broken;
    private volatile boolean closed;
    /** Tests turn this off to reach the failure inside Xodus that the check before each write prevents. */
    volatile boolean checkBeforeWrite = true;

    /** One open environment and the four stores in it. */
    private record Handles(Environment env, jetbrains.exodus.env.Store operations, jetbrains.exodus.env.Store byStart,
                           jetbrains.exodus.env.Store checks, jetbrains.exodus.env.Store settings) {
        /** Opens the stores (creating them if needed, which is a write); call on the writer thread. */
        static Handles of(Environment env) {
            return new Handles(env, openStore(env, "operations"), openStore(env, "operations_by_start"),
                    openStore(env, "checks"), openStore(env, "settings"));
        }

        private static jetbrains.exodus.env.Store openStore(Environment env, String name) {
            return env.computeInTransaction(txn -> env.openStore(name, StoreConfig.WITHOUT_DUPLICATES_WITH_PREFIXING, txn));
        }
    }

    private XodusStore(Path directory, Handles handles, int maxChecks, WriterThread writer) {
        this.directory = directory;
        this.handles = handles;
        this.maxChecks = maxChecks;
        this.writer = writer;
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
            return new XodusStore(dir, writer.call(() -> Handles.of(env)), maxChecks, writer);
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
        write("saving operation " + operation.id(), (x, txn) -> {
            ByteIterable previous = x.operations().get(txn, id);
            if (previous != null) {
                Instant previousStart = JsonCodec.readOperation(previous.getBytesUnsafe(), previous.getLength()).startedAt();
                x.byStart().delete(txn, Keys.startedAt(previousStart, operation.id()));
            }
            x.operations().put(txn, id, json);
            x.byStart().put(txn, Keys.startedAt(operation.startedAt(), operation.id()), id);
        });
    }

    @Override
    public Optional<Operation> operation(String id) {
        Objects.requireNonNull(id, "id");
        return read("reading operation " + id,
                (x, txn) -> Optional.ofNullable(x.operations().get(txn, Keys.utf8(id))).map(XodusStore::operation));
    }

    @Override
    public List<Operation> operations(OperationQuery query) {
        return read("listing operations", (x, txn) -> {
            List<Operation> result = new ArrayList<>();
            try (Cursor cursor = x.byStart().openCursor(txn)) {
                for (boolean more = cursor.getLast(); more && result.size() < query.limit(); more = cursor.getPrev()) {
                    ByteIterable json = x.operations().get(txn, cursor.getValue());
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
        write("saving " + records.size() + " check result(s)", (x, txn) -> {
            for (int i = 0; i < records.size(); i++) {
                ByteIterable time = Keys.checkedAt(records.get(i).checkedAt());
                x.checks().put(txn, Keys.checkedAt(records.get(i).checkedAt(), nextSequenceAt(x.checks(), txn, time)), json.get(i));
            }
            long excess = x.checks().count(txn) - maxChecks;
            try (Cursor oldest = x.checks().openCursor(txn)) {
                for (; excess > 0 && oldest.getNext(); excess--) {
                    oldest.deleteCurrent();
                }
            }
        });
    }

    /** One more than the highest sequence already used at this exact instant (usually 0). */
    private static long nextSequenceAt(jetbrains.exodus.env.Store checks, Transaction txn, ByteIterable time) {
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
        return read("listing check history", (x, txn) -> {
            List<CheckRecord> result = new ArrayList<>();
            try (Cursor cursor = x.checks().openCursor(txn)) {
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
            writer.shutdown(() -> {
                if (handles.env().isOpen()) { // closed already when reopening it after a failed write failed too
                    handles.env().close();
                }
            }); // after any write already queued
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
        T run(Handles handles, Transaction txn);
    }

    private interface WriteWork {
        void run(Handles handles, Transaction txn);
    }

    private <T> T read(String action, Work<T> work) {
        return guarded(action, () -> {
            Handles x = broken ? writer.call(() -> usable(action)) : handles;
            try {
                return x.env().computeInReadonlyTransaction(txn -> work.run(x, txn));
            } catch (ExodusException e) {
                if (String.valueOf(e.getMessage()).contains("inoperative")) {
                    broken = true; // a write failed in Xodus's own background work: reopen on the next call
                }
                throw e;
            }
        });
    }

    private void write(String action, WriteWork work) {
        guarded(action, () -> writer.call(() -> {
            Handles x = usable(action);
            if (checkBeforeWrite) {
                writable(x, action);
            }
            try {
                x.env().executeInTransaction(txn -> work.run(x, txn));
            } catch (ExodusException | IllegalStateException e) {
                broken = true;
                throw e;
            }
            // A write may have started a new log file, created with the umask's modes: make it 0600 now.
            XodusEnvironment.restrictFiles(directory);
            return null;
        }));
    }

    /**
     * The environment, reopened first if a write failed in it (writer thread only). While the directory
     * still cannot be written, reopening fails and says why; the next call tries again.
     */
    private Handles usable(String action) {
        if (!broken) {
            return handles;
        }
        closeQuietly(handles.env());
        Environment env;
        try {
            env = XodusEnvironment.open(directory);
        } catch (StorageException e) {
            throw new StorageException(action + ": " + e.getMessage(), e);
        }
        try {
            handles = Handles.of(env);
        } catch (RuntimeException e) {
            env.close();
            throw e;
        }
        broken = false;
        LOG.log(System.Logger.Level.INFO, "the store in {0} was reopened after a failed write ({1})", directory, action);
        return handles;
    }

    private void closeQuietly(Environment env) {
        try {
            if (env.isOpen()) {
                env.close();
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> "closing the failed store environment in " + directory + ": " + e);
        }
    }

    /**
     * Refuses a write at once when the directory or its newest log file cannot be written (read-only mount,
     * immutable files, permissions), before Xodus tries: a write failing inside Xodus makes the environment
     * refuse reads too until it is reopened. {@code access(2)} sees immutable files and read-only mounts even
     * for root. Xodus makes full log files read-only itself and starts a new one, so a full newest file is
     * not a refusal. A full disk is Xodus's to refuse: it checks the space itself and stays usable.
     */
    private void writable(Handles x, String action) {
        Path newest = null;
        try (var files = Files.list(directory)) {
            newest = files.filter(f -> f.getFileName().toString().endsWith(".xd")).max(Path::compareTo).orElse(null);
        } catch (IOException | UncheckedIOException e) {
            // reported below as a directory that cannot be written
        }
        Path refused = !Files.isWritable(directory) ? directory
                : newest != null && !Files.isWritable(newest) && !full(x, newest) ? newest : null;
        if (refused != null) {
            throw new StorageException(action + ": the store in " + directory + " cannot be written (" + refused
                    + " is read-only); nothing was saved", null);
        }
    }

    private static boolean full(Handles x, Path logFile) {
        try {
            return Files.size(logFile) >= x.env().getEnvironmentConfig().getLogFileSize() * 1024;
        } catch (IOException e) {
            return false;
        }
    }

    /** Turns Xodus's and the codec's exceptions into a StorageException that says what was being done where. */
    private <T> T guarded(String action, Supplier<T> call) {
        if (closed) {
            throw new StorageException(action + ": the store in " + directory + " is closed", null);
        }
        try {
            return call.get();
        } catch (ExodusException | IllegalStateException | IllegalArgumentException | DateTimeException e) {
            throw new StorageException(action + " in " + directory + ": " + e.getMessage(), e);
        }
    }

    private final class Settings implements KeyValue {
        @Override
        public Optional<String> get(String namespace, String key) {
            ByteIterable id = Keys.setting(namespace, key);
            return read("reading setting " + namespace + "/" + key,
                    (x, txn) -> Optional.ofNullable(x.settings().get(txn, id)).map(Keys::text));
        }

        @Override
        public void put(String namespace, String key, String value) {
            Objects.requireNonNull(value, "value");
            ByteIterable id = Keys.setting(namespace, key);
            ByteIterable bytes = Keys.utf8(value);
            write("saving setting " + namespace + "/" + key, (x, txn) -> x.settings().put(txn, id, bytes));
        }

        @Override
        public void delete(String namespace, String key) {
            ByteIterable id = Keys.setting(namespace, key);
            write("deleting setting " + namespace + "/" + key, (x, txn) -> x.settings().delete(txn, id));
        }

        @Override
        public List<String> keys(String namespace) {
            byte[] prefix = Keys.namespacePrefix(namespace);
            return read("listing settings in " + namespace, (x, txn) -> {
                List<String> keys = new ArrayList<>();
                try (Cursor cursor = x.settings().openCursor(txn)) {
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
