package dev.docksmith.storage.xodus;

import dev.docksmith.api.CheckRecord;
import dev.docksmith.api.HistoryQuery;
import dev.docksmith.api.Operation;
import dev.docksmith.api.OperationQuery;
import dev.docksmith.api.OperationStatus;
import dev.docksmith.api.StorageException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The store's directory turning read-only while the store is open, for root too ({@code chattr +i} on the
 * directory and its files; skipped where that is not possible). Regression: Xodus used to be asked to write
 * anyway, failed ("Failed to set writable .../00000000000.xd"), and from then on refused every transaction,
 * reads included ("Environment is inoperative"), until the process was restarted.
 */
class XodusReadOnlyTest {
    static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");

    @TempDir
    Path tmp;
    Path dir;
    XodusStore store;
    boolean immutable;

    @BeforeEach
    void open() {
        dir = tmp.resolve("store");
        store = XodusStore.open(dir);
        store.save(op("op_1", 1));
        store.saveCheck(new CheckRecord(T0, "web", "nginx:1.0", "1.0", "1.1", "UPDATE_AVAILABLE", null));
        store.settings().put("assignments", "web", "check.sh");
    }

    @AfterEach
    void close() throws Exception {
        writable();
        store.close();
    }

    @Test
    void writesAreRefusedAtOnceReadsGoOnAndWritesWorkAgainWithoutReopening() throws Exception {
        readOnly();

        StorageException e = assertThrows(StorageException.class, () -> store.save(op("op_2", 2)));
        assertTrue(e.getMessage().contains("saving operation op_2") && e.getMessage().contains("the store in " + dir.toAbsolutePath())
                && e.getMessage().contains("cannot be written"), e.getMessage());
        assertThrows(StorageException.class, () -> store.settings().put("assignments", "db", "check.sh"));
        assertThrows(StorageException.class, () -> store.saveCheck(new CheckRecord(T0.plusSeconds(1), "db", "pg:1", "1", "1",
                "UP_TO_DATE", null)));
        readsStillWork();

        writable();
        store.save(op("op_3", 3));
        store.settings().put("assignments", "db", "check.sh");
        assertEquals(List.of("op_3", "op_1"), ids());

        store.close();
        store = XodusStore.open(dir);
        assertEquals(List.of("op_3", "op_1"), ids(), "what was refused is not there, what came after is durable");
        assertEquals(Optional.of("check.sh"), store.settings().get("assignments", "db"));
    }

    @Test
    void aWriteThatFailedInsideXodusIsRecoveredOnceWritableWithoutRestart() throws Exception {
        store.checkBeforeWrite = false; // as if the directory turned read-only between the check and the write
        readOnly();

        assertThrows(StorageException.class, () -> store.save(op("op_2", 2)));
        StorageException e = assertThrows(StorageException.class, () -> store.operations(OperationQuery.all()),
                "while still read-only the failed environment cannot be reopened");
        assertTrue(e.getMessage().contains("not writable") && e.getMessage().contains(dir.toAbsolutePath().toString()), e.getMessage());

        writable();
        readsStillWork();
        store.save(op("op_3", 3));
        assertEquals(List.of("op_3", "op_1"), ids());
    }

    private void readsStillWork() {
        assertEquals(List.of("op_1"), ids());
        assertTrue(store.operation("op_1").isPresent());
        assertEquals(1, store.checks(new HistoryQuery(null, null, 10)).size());
        assertEquals(Optional.of("check.sh"), store.settings().get("assignments", "web"));
        assertEquals(List.of("web"), store.settings().keys("assignments"));
    }

    private List<String> ids() {
        return store.operations(OperationQuery.all()).stream().map(Operation::id).toList();
    }

    private static Operation op(String id, int second) {
        return new Operation(id, "stop", OperationStatus.COMPLETE, "web", null, null, null, T0.plusSeconds(second),
                T0.plusSeconds(second + 1), null, Map.of());
    }

    /** Immutable for root too: {@code chattr +i} on every file, then the directory. */
    private void readOnly() throws Exception {
        assumeTrue(chattr("+i"), "chattr +i is not possible here (not root, or the file system has no such flag)");
        immutable = true;
        assertFalse(Files.isWritable(dir));
    }

    private void writable() throws Exception {
        if (immutable) {
            assertTrue(chattr("-i"), "chattr -R -i " + dir + " failed: remove the flag by hand");
            immutable = false;
        }
    }

    private boolean chattr(String flag) throws Exception {
        try {
            Process p = new ProcessBuilder("chattr", "-R", flag, dir.toString()).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor() == 0;
        } catch (java.io.IOException e) {
            return false; // no chattr
        }
    }
}
