package dev.docksmith.tck;

import dev.docksmith.api.CheckRecord;
import dev.docksmith.api.HistoryQuery;
import dev.docksmith.api.Operation;
import dev.docksmith.api.OperationQuery;
import dev.docksmith.api.OperationStatus;
import dev.docksmith.spi.KeyValue;
import dev.docksmith.spi.Store;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The contract every {@link Store} keeps. A store's test subclasses this and supplies {@link #open(Path)};
 * an in-memory store also overrides {@link #persistent()} to return false, which skips the reopen tests.
 *
 * <p>Times used here have microsecond precision (what {@code Instant.now()} gives on Linux); a store must
 * give back exactly the instants it was given at that precision.
 */
public abstract class StoreContract {
    /** A fixed base time, so ordering in the tests never depends on the clock. */
    protected static final Instant T0 = Instant.parse("2025-03-01T10:00:00.123456Z");

    /** The directory the store under test keeps its files in; a new one for each test. */
    @TempDir
    protected Path dir;

    /** The store under test, opened on {@link #dir} before each test and closed after it. */
    protected Store store;

    /** Opens (creating if needed) the store kept under {@code dir}. */
    protected abstract Store open(Path dir);

    /** False for stores that keep nothing across close and reopen; the reopen tests are then skipped. */
    protected boolean persistent() {
        return true;
    }

    @BeforeEach
    void openStore() {
        store = open(dir);
    }

    @AfterEach
    void closeStore() {
        if (store != null) {
            store.close();
        }
    }

    /** Closes the store and opens a new one on the same directory, as a restart would. */
    protected Store reopen() {
        store.close();
        store = open(dir);
        return store;
    }

    // ---- values used by the tests ----

    /** A sparse operation starting {@code secondsAfterT0} after {@link #T0}. */
    protected static Operation op(String id, String container, OperationStatus status, String type, int secondsAfterT0) {
        return new Operation(id, type, status, container, null, null, null, T0.plusSeconds(secondsAfterT0), null, null, Map.of());
    }

    /** An operation with every field set. */
    protected static Operation fullOp(String id) {
        return new Operation(id, "update", OperationStatus.ROLLED_BACK, "web", "shop", "1.25.3", "1.26.0",
                T0, T0.plusMillis(61_500).plusNanos(7_000), "health check failed after 30s",
                Map.of("old_image_id", "sha256:aa11", "new_image_id", "sha256:bb22", "attempts", "3"));
    }

    /** A check of nginx 1.25 at {@code secondsAfterT0} after {@link #T0}. */
    protected static CheckRecord check(String container, int secondsAfterT0, String status) {
        return new CheckRecord(T0.plusSeconds(secondsAfterT0), container, "docker.io/library/nginx:1.25", "1.25",
                "1.27", status, null);
    }

    private static List<String> ids(List<Operation> ops) {
        return ops.stream().map(Operation::id).toList();
    }

    private static List<Instant> times(List<CheckRecord> records) {
        return records.stream().map(CheckRecord::checkedAt).toList();
    }

    // ---- batches ----

    @Test
    void aBatchOfChecksIsSavedWholeIncludingSameInstantRecords() {
        store.saveChecks(List.of(check("a", 1, "UP_TO_DATE"), check("b", 1, "UPDATE_AVAILABLE"), check("c", 2, "ERROR")));
        store.saveChecks(List.of());
        List<CheckRecord> all = store.checks(new HistoryQuery(null, null, 10));
        assertEquals(3, all.size(), all.toString());
        assertEquals("c", all.get(0).containerName(), "newest first");
        assertEquals(Set.of("a", "b"), Set.of(all.get(1).containerName(), all.get(2).containerName()));
    }

    // ---- operations ----

    @Test
    void savedOperationIsReadBackById() {
        Operation op = fullOp("op_1");
        store.save(op);

        assertEquals(Optional.of(op), store.operation("op_1"));
    }

    @Test
    void unknownOperationIsEmpty() {
        assertEquals(Optional.empty(), store.operation("op_missing"));
        store.save(op("op_1", "web", OperationStatus.RUNNING, "stop", 0));
        assertEquals(Optional.empty(), store.operation("op_missing"));
    }

    @Test
    void savingTheSameIdReplaces() {
        Operation running = Operation.start("op_1", "update", "web", "shop", T0);
        store.save(running);
        Operation done = running.withVersions("1.0", "1.1").withDetail("new_image_id", "sha256:cc").complete(T0.plusSeconds(5));
        store.save(done);

        assertEquals(Optional.of(done), store.operation("op_1"));
        assertEquals(List.of(done), store.operations(OperationQuery.all()), "a replaced operation is listed once");
    }

    @Test
    void replacingWithAnotherStartTimeMovesItInTheListing() {
        store.save(op("op_a", "web", OperationStatus.RUNNING, "stop", 10));
        store.save(op("op_b", "web", OperationStatus.RUNNING, "stop", 20));
        store.save(op("op_a", "web", OperationStatus.COMPLETE, "stop", 30));

        assertEquals(List.of("op_a", "op_b"), ids(store.operations(OperationQuery.all())));
    }

    @Test
    void operationsAreListedNewestStartFirst() {
        store.save(op("op_2", "web", OperationStatus.COMPLETE, "stop", 20));
        store.save(op("op_3", "web", OperationStatus.COMPLETE, "stop", 30));
        store.save(op("op_1", "web", OperationStatus.COMPLETE, "stop", 10));

        assertEquals(List.of("op_3", "op_2", "op_1"), ids(store.operations(OperationQuery.all())));
    }

    @Test
    void operationsAreEmptyWhenNothingWasSaved() {
        assertEquals(List.of(), store.operations(OperationQuery.all()));
    }

    @Test
    void operationsFilterByContainerStatusAndType() {
        store.save(op("op_1", "web", OperationStatus.COMPLETE, "update", 1));
        store.save(op("op_2", "db", OperationStatus.COMPLETE, "update", 2));
        store.save(op("op_3", "web", OperationStatus.FAILED, "update", 3));
        store.save(op("op_4", "web", OperationStatus.COMPLETE, "restart", 4));
        store.save(op("op_5", null, OperationStatus.COMPLETE, "prune", 5));

        assertEquals(List.of("op_4", "op_3", "op_1"), ids(store.operations(new OperationQuery("web", null, null, 100))));
        assertEquals(List.of("op_3"), ids(store.operations(new OperationQuery(null, OperationStatus.FAILED, null, 100))));
        assertEquals(List.of("op_5"), ids(store.operations(new OperationQuery(null, null, "prune", 100))));
        assertEquals(List.of("op_1"), ids(store.operations(new OperationQuery("web", OperationStatus.COMPLETE, "update", 100))));
        assertEquals(List.of("op_4", "op_1"), ids(store.operations(new OperationQuery("web", OperationStatus.COMPLETE, null, 100))));
        assertEquals(List.of(), ids(store.operations(new OperationQuery("db", OperationStatus.FAILED, null, 100))));
    }

    @Test
    void operationsLimitKeepsTheNewest() {
        for (int i = 1; i <= 10; i++) {
            store.save(op("op_" + i, i % 2 == 0 ? "web" : "db", OperationStatus.COMPLETE, "stop", i));
        }

        assertEquals(List.of("op_10", "op_9", "op_8"), ids(store.operations(new OperationQuery(null, null, null, 3))));
        assertEquals(List.of("op_10", "op_8"), ids(store.operations(new OperationQuery("web", null, null, 2))),
                "the limit applies after the filter");
    }

    @Test
    void detailsRoundTrip() {
        Map<String, String> details = Map.of("old_image_id", "sha256:0123", "empty", "", "note", "ünïcødé ✓ 🐳",
                "json-ish", "{\"a\": [1, 2]}", "multi\nline", "line 1\nline 2\ttab");
        Operation op = new Operation("op_d", "update", OperationStatus.COMPLETE, "web", null, null, null, T0, T0, null, details);
        store.save(op);

        assertEquals(details, store.operation("op_d").orElseThrow().details());
    }

    @Test
    void nullOptionalFieldsRoundTripAsNull() {
        Operation op = new Operation("op_n", "prune", OperationStatus.RUNNING, null, null, null, null, T0, null, null, null);
        store.save(op);

        Operation read = store.operation("op_n").orElseThrow();
        assertNull(read.containerName());
        assertNull(read.stackName());
        assertNull(read.oldVersion());
        assertNull(read.newVersion());
        assertNull(read.completedAt());
        assertNull(read.error());
        assertEquals(Map.of(), read.details());
        assertEquals(op, read);

        CheckRecord record = new CheckRecord(T0, "web", "nginx", "1.25", null, "UP_TO_DATE", null);
        store.saveCheck(record);
        assertEquals(List.of(record), store.checks(new HistoryQuery(null, null, 10)));
    }

    @Test
    void everyStatusRoundTrips() {
        for (OperationStatus status : OperationStatus.values()) {
            store.save(op("op_" + status.wire(), "web", status, "update", 0));
            assertEquals(status, store.operation("op_" + status.wire()).orElseThrow().status());
        }
    }

    // ---- check history ----

    @Test
    void checksAreListedNewestFirst() {
        store.saveCheck(check("web", 20, "UP_TO_DATE"));
        store.saveCheck(check("web", 30, "UPDATE_AVAILABLE"));
        store.saveCheck(check("web", 10, "UP_TO_DATE"));

        assertEquals(List.of(T0.plusSeconds(30), T0.plusSeconds(20), T0.plusSeconds(10)),
                times(store.checks(new HistoryQuery(null, null, 100))));
    }

    @Test
    void checksAtTheSameInstantAreAllKept() {
        CheckRecord web = check("web", 0, "UP_TO_DATE");
        CheckRecord db = check("db", 0, "UP_TO_DATE");
        store.saveCheck(web);
        store.saveCheck(db);

        List<CheckRecord> all = store.checks(new HistoryQuery(null, null, 100));
        assertEquals(2, all.size());
        assertTrue(all.containsAll(List.of(web, db)));
    }

    @Test
    void checkRecordRoundTripsEveryField() {
        CheckRecord record = new CheckRecord(T0, "web", "ghcr.io/linuxserver/plex:1.40", "1.40", "1.41",
                "ERROR", "registry ghcr.io answered 429 Too Many Requests");
        store.saveCheck(record);

        assertEquals(List.of(record), store.checks(new HistoryQuery(null, null, 1)));
    }

    @Test
    void checksFilterByContainerSinceAndLimit() {
        for (int i = 1; i <= 6; i++) {
            store.saveCheck(check(i % 2 == 0 ? "web" : "db", i, "UP_TO_DATE"));
        }

        assertEquals(List.of(T0.plusSeconds(6), T0.plusSeconds(4), T0.plusSeconds(2)),
                times(store.checks(new HistoryQuery("web", null, 100))));
        assertEquals(List.of(T0.plusSeconds(6), T0.plusSeconds(5), T0.plusSeconds(4)),
                times(store.checks(new HistoryQuery(null, T0.plusSeconds(4), 100))), "since is inclusive");
        assertEquals(List.of(T0.plusSeconds(6), T0.plusSeconds(5)),
                times(store.checks(new HistoryQuery(null, null, 2))));
        assertEquals(List.of(T0.plusSeconds(5), T0.plusSeconds(3)),
                times(store.checks(new HistoryQuery("db", T0.plusSeconds(2), 100))));
        assertEquals(List.of(T0.plusSeconds(5)),
                times(store.checks(new HistoryQuery("db", T0.plusSeconds(2), 1))));
        assertEquals(List.of(), store.checks(new HistoryQuery("cache", null, 100)));
    }

    // ---- settings (key-value) ----

    @Test
    void keyValuePutGetDelete() {
        KeyValue kv = store.settings();
        assertEquals(Optional.empty(), kv.get("assignments", "web"));

        kv.put("assignments", "web", "check-db.sh");
        assertEquals(Optional.of("check-db.sh"), kv.get("assignments", "web"));

        kv.put("assignments", "web", "check-web.sh");
        assertEquals(Optional.of("check-web.sh"), kv.get("assignments", "web"), "put replaces");

        kv.delete("assignments", "web");
        assertEquals(Optional.empty(), kv.get("assignments", "web"));
        assertDoesNotThrow(() -> kv.delete("assignments", "web"), "deleting an absent key is ignored");
    }

    @Test
    void keysAreSortedAndOnlyFromTheirNamespace() {
        KeyValue kv = store.settings();
        kv.put("assignments", "web", "a");
        kv.put("assignments", "db", "b");
        kv.put("assignments", "cache", "c");
        kv.put("assignments-old", "aaa", "other namespace with the same prefix");
        kv.put("assign", "zzz", "a namespace that is a prefix");
        kv.put("backups", "db", "other");

        assertEquals(List.of("cache", "db", "web"), kv.keys("assignments"));
        assertEquals(List.of("aaa"), kv.keys("assignments-old"));
        assertEquals(List.of("zzz"), kv.keys("assign"));
        assertEquals(List.of(), kv.keys("nothing-here"));
    }

    @Test
    void namespacesAreIsolated() {
        KeyValue kv = store.settings();
        kv.put("assignments", "web", "script.sh");
        kv.put("backups", "web", "compose.yml.bak");

        assertEquals(Optional.of("script.sh"), kv.get("assignments", "web"));
        assertEquals(Optional.of("compose.yml.bak"), kv.get("backups", "web"));

        kv.delete("assignments", "web");
        assertEquals(Optional.empty(), kv.get("assignments", "web"));
        assertEquals(Optional.of("compose.yml.bak"), kv.get("backups", "web"), "a delete touches one namespace");
    }

    @Test
    void unicodeAndEmptyValuesRoundTrip() {
        KeyValue kv = store.settings();
        String value = "Grüße, 世界 — emoji 🐳🚀, RTL עברית, combining e\u0301, nul-free\ttabs\nnewlines \"quotes\" \\";
        kv.put("ünïcødé", "ключ 🔑", value);
        kv.put("ünïcødé", "empty", "");

        assertEquals(Optional.of(value), kv.get("ünïcødé", "ключ 🔑"));
        assertEquals(Optional.of(""), kv.get("ünïcødé", "empty"));
        assertEquals(List.of("empty", "ключ 🔑"), kv.keys("ünïcødé"));
    }

    @Test
    void largeValuesRoundTrip() {
        String compose = "services:\n  web:\n    image: nginx:1.25 # ünïcødé ✓\n".repeat(2_000);
        assertTrue(compose.length() >= 100_000);
        store.settings().put("backups", "web", compose);

        assertEquals(Optional.of(compose), store.settings().get("backups", "web"));

        Operation op = fullOp("op_big").withDetail("log", compose);
        store.save(op);
        assertEquals(Optional.of(op), store.operation("op_big"));
    }

    // ---- persistence ----

    @Test
    void everythingSurvivesCloseAndReopen() {
        assumeTrue(persistent(), "this store keeps nothing across a restart");
        Operation replaced = Operation.start("op_1", "update", "web", "shop", T0.plusSeconds(2));
        store.save(replaced);
        Operation done = replaced.withVersions("1.0", "1.1").complete(T0.plusSeconds(9));
        store.save(done);
        Operation full = fullOp("op_2");
        Operation sparse = new Operation("op_3", "prune", OperationStatus.RUNNING, null, null, null, null, T0.plusSeconds(1), null, null, null);
        store.save(full);
        store.save(sparse);
        CheckRecord c1 = check("web", 1, "UP_TO_DATE");
        CheckRecord c2 = check("db", 2, "UPDATE_AVAILABLE");
        store.saveCheck(c1);
        store.saveCheck(c2);
        store.settings().put("assignments", "web", "check.sh");
        store.settings().put("assignments", "gone", "x");
        store.settings().delete("assignments", "gone");

        reopen();

        assertEquals(Optional.of(done), store.operation("op_1"));
        assertEquals(Optional.of(full), store.operation("op_2"));
        assertEquals(Optional.of(sparse), store.operation("op_3"));
        assertEquals(List.of("op_1", "op_3", "op_2"), ids(store.operations(OperationQuery.all())),
                "every operation is listed once, newest first, after reopen");
        assertEquals(List.of(c2, c1), store.checks(new HistoryQuery(null, null, 100)));
        assertEquals(Optional.of("check.sh"), store.settings().get("assignments", "web"));
        assertEquals(List.of("web"), store.settings().keys("assignments"));
    }

    @Test
    void writesAfterReopenAddToWhatWasThere() {
        assumeTrue(persistent(), "this store keeps nothing across a restart");
        store.save(op("op_1", "web", OperationStatus.COMPLETE, "stop", 1));
        store.saveCheck(check("web", 1, "UP_TO_DATE"));
        store.saveCheck(check("web", 1, "UP_TO_DATE"));

        reopen();
        store.save(op("op_2", "web", OperationStatus.COMPLETE, "stop", 2));
        store.saveCheck(check("web", 1, "UP_TO_DATE"));
        store.saveCheck(check("web", 2, "UP_TO_DATE"));

        reopen();
        assertEquals(List.of("op_2", "op_1"), ids(store.operations(OperationQuery.all())));
        assertEquals(4, store.checks(new HistoryQuery(null, null, 100)).size(),
                "checks saved after a reopen must not overwrite earlier ones");
    }

    // ---- concurrency and lifecycle ----

    @Test
    void concurrentSavesLoseNothing() throws Exception {
        int threads = 8;
        int perThread = 25;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Callable<Void>> tasks = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                tasks.add(() -> {
                    for (int i = 0; i < perThread; i++) {
                        String id = "op_" + thread + "_" + i;
                        store.save(op(id, "c" + thread, OperationStatus.RUNNING, "update", i));
                        store.save(op(id, "c" + thread, OperationStatus.COMPLETE, "update", i));
                        store.saveCheck(check("c" + thread, i, "UP_TO_DATE"));
                        store.settings().put("t" + thread, "k" + i, id);
                    }
                    return null;
                });
            }
            for (Future<Void> f : pool.invokeAll(tasks)) {
                f.get();
            }
        } finally {
            pool.shutdown();
            assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS));
        }

        List<Operation> all = store.operations(OperationQuery.all());
        assertEquals(threads * perThread, all.size());
        assertTrue(all.stream().allMatch(o -> o.status() == OperationStatus.COMPLETE), "the second save of each id wins");
        assertEquals(threads * perThread, store.checks(new HistoryQuery(null, null, 1000)).size());
        for (int t = 0; t < threads; t++) {
            assertEquals(perThread, store.settings().keys("t" + t).size());
            assertEquals(perThread, store.checks(new HistoryQuery("c" + t, null, 1000)).size());
        }
        List<String> expected = IntStream.range(0, threads).boxed()
                .flatMap(t -> IntStream.range(0, perThread).mapToObj(i -> "op_" + t + "_" + i)).sorted().toList();
        assertEquals(expected, ids(all).stream().sorted().toList());
    }

    @Test
    void closeIsIdempotent() {
        store.save(op("op_1", "web", OperationStatus.COMPLETE, "stop", 1));
        store.close();
        assertDoesNotThrow(store::close);
        assertDoesNotThrow(store::close); // and once more after this test, in closeStore()
    }
}
