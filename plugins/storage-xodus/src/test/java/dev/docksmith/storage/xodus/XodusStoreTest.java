package dev.docksmith.storage.xodus;

import dev.docksmith.api.CheckRecord;
import dev.docksmith.api.HistoryQuery;
import dev.docksmith.api.OperationQuery;
import dev.docksmith.api.OperationStatus;
import dev.docksmith.api.StorageException;
import dev.docksmith.spi.Store;
import dev.docksmith.spi.StorePlugin;
import dev.docksmith.tck.StoreContract;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class XodusStoreTest extends StoreContract {
    @Override
    protected Store open(Path dir) {
        return XodusStore.open(dir);
    }

    @Test
    void everyCommitIsFsyncedAndTheCacheIsSmall() {
        // SIGKILL (XodusProcessTest) cannot tell an fsync from a write the OS still holds; a power cut can.
        var config = XodusEnvironment.config();
        assertTrue(config.getLogDurableWrite(), "durable on return needs an fsync per commit");
        assertEquals(XodusEnvironment.CACHE_BYTES, config.getMemoryUsage());
        assertEquals(0, config.getLogLockTimeout(), "a held lock fails at once");
    }

    @Test
    void keepsOnlyTheNewestChecks() {
        try (XodusStore small = XodusStore.open(dir.resolve("small"), 3)) {
            small.saveCheck(check("web", 5, "UP_TO_DATE"));
            for (int i = 1; i <= 4; i++) {
                small.saveCheck(check("web", i, "UP_TO_DATE"));
            }
            small.saveCheck(check("web", 6, "UP_TO_DATE"));

            assertEquals(List.of(T0.plusSeconds(6), T0.plusSeconds(5), T0.plusSeconds(4)),
                    small.checks(new HistoryQuery(null, null, 100)).stream().map(CheckRecord::checkedAt).toList(),
                    "the oldest by check time are trimmed, whatever order they arrived in");
        }
    }

    @Test
    void anInterruptedCallerDoesNotBreakTheStore() {
        // Without the writer thread, Xodus's interruptible FileChannel would be closed by this and every later save fail.
        Thread.currentThread().interrupt();
        try {
            store.save(op("op_1", "web", OperationStatus.FAILED, "update", 1));
            store.saveCheck(check("web", 1, "UP_TO_DATE"));
            store.settings().put("assignments", "web", "check.sh");
            assertEquals(1, store.operations(OperationQuery.all()).size());
            assertTrue(Thread.currentThread().isInterrupted(), "the caller keeps its interrupt");
        } finally {
            Thread.interrupted();
        }
        store.save(op("op_2", "web", OperationStatus.COMPLETE, "update", 2));

        reopen();
        assertEquals(2, store.operations(OperationQuery.all()).size());
        assertEquals(1, store.checks(new HistoryQuery(null, null, 10)).size());
        assertEquals(Optional.of("check.sh"), store.settings().get("assignments", "web"));
    }

    @Test
    void pluginIsFoundAndKeepsItsFilesInASubfolder() {
        StorePlugin plugin = ServiceLoader.load(StorePlugin.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(p -> p.name().equals("storage-xodus"))
                .findFirst().orElseThrow();
        assertEquals(100, plugin.priority());

        Path data = dir.resolve("data");
        try (Store opened = plugin.open(data)) {
            opened.save(op("op_1", "web", OperationStatus.COMPLETE, "stop", 1));
            assertTrue(opened.persistent());
        }
        assertTrue(Files.exists(data.resolve(XodusStorePlugin.FOLDER).resolve("xd.lck")));
        try (Store reopened = plugin.open(data)) {
            assertTrue(reopened.operation("op_1").isPresent());
        }
    }

    @Test
    void secondOpenInTheSameProcessIsRefused() {
        StorageException e = assertThrows(StorageException.class, () -> XodusStore.open(dir));
        assertTrue(e.getMessage().contains("another Docksmith process is using " + dir.toAbsolutePath()), e.getMessage());
    }

    @Test
    void aFileWhereTheDirectoryShouldBeIsReported() throws Exception {
        Path file = Files.writeString(dir.resolve("not-a-dir"), "x");

        StorageException e = assertThrows(StorageException.class, () -> XodusStore.open(file));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("not a directory"), e.getMessage());
    }

    @Test
    void aReadOnlyDirectoryIsReported() throws Exception {
        Path readOnly = Files.createDirectory(dir.resolve("read-only"));
        try (ReadOnly ignored = ReadOnly.make(readOnly)) {
            StorageException e = assertThrows(StorageException.class, () -> XodusStore.open(readOnly));
            assertTrue(e.getMessage().contains(readOnly.toString()) && e.getMessage().contains("not writable"), e.getMessage());

            StorageException nested = assertThrows(StorageException.class, () -> new XodusStorePlugin().open(readOnly));
            assertTrue(nested.getMessage().contains("cannot create the store directory " + readOnly.resolve("xodus")), nested.getMessage());
        }
    }

    /**
     * Makes a directory read-only for this process. Mode bits do not stop root, so as root it is also made
     * immutable with {@code chattr +i}; the test is skipped if neither works here.
     */
    private record ReadOnly(Path dir, boolean immutable) implements AutoCloseable {
        static ReadOnly make(Path dir) throws Exception {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("r-xr-xr-x"));
            if (!Files.isWritable(dir)) {
                return new ReadOnly(dir, false);
            }
            boolean immutable = chattr("+i", dir);
            if (!immutable) {
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
            assumeTrue(immutable, "running as root and chattr +i is not available: cannot make a read-only directory");
            return new ReadOnly(dir, true);
        }

        private static boolean chattr(String flag, Path dir) throws Exception {
            try {
                Process p = new ProcessBuilder("chattr", flag, dir.toString()).redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                return p.waitFor() == 0;
            } catch (java.io.IOException e) {
                return false; // no chattr
            }
        }

        @Override
        public void close() throws Exception {
            if (immutable) {
                chattr("-i", dir);
            }
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    @Test
    void useAfterCloseIsAStorageException() {
        store.close();

        StorageException e = assertThrows(StorageException.class, () -> store.operation("op_1"));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
    }
}
