package dev.docksmith.storage.xodus;

import dev.docksmith.api.Operation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The store holds update plans with compose files' bytes (often with passwords in them), so no other
 * local user may read it, whatever the process umask (tests run with the usual 022, under which Xodus's
 * files came out 0644 and the directory 0755).
 */
class XodusFileModesTest {
    static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");

    @TempDir
    Path tmp;

    @Test
    void aNewStoreIsADirectoryOnlyItsOwnerCanEnterWithFilesOnlyItsOwnerCanRead() throws IOException {
        Path dir = tmp.resolve("data/xodus");
        try (XodusStore store = XodusStore.open(dir)) {
            store.save(op("op_1"));
            assertEquals("rwx------", mode(dir));
            assertEquals("rwx------", mode(dir.getParent()), "missing parents are created private too");
            assertPrivateFiles(dir);
        }
    }

    @Test
    void anOpenDirectoryIsClosedAtOpenAndAFileXodusCreatesLaterIsMadePrivateByTheNextWrite() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("xodus"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (XodusStore store = XodusStore.open(dir)) {
            assertEquals("rwx------", mode(dir));
            // As a log file Xodus starts once the current one is full: created with the umask's 0644.
            Path logFile;
            try (var files = Files.list(dir)) {
                logFile = files.filter(f -> f.toString().endsWith(".xd")).findFirst().orElseThrow();
            }
            Files.setPosixFilePermissions(logFile, PosixFilePermissions.fromString("rw-r--r--"));
            store.save(op("op_2"));
            assertEquals("rw-------", mode(logFile));
            assertPrivateFiles(dir);
        }
    }

    static void assertPrivateFiles(Path dir) throws IOException {
        List<Path> files;
        try (var list = Files.list(dir)) {
            files = list.toList();
        }
        assertFalse(files.isEmpty());
        for (Path f : files) {
            String mode = mode(f);
            assertEquals("------", mode.substring(3), f + " is " + mode + "; the store's files are for their owner only");
        }
    }

    static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    static Operation op(String id) {
        return new Operation(id, "update", dev.docksmith.api.OperationStatus.COMPLETE, "web", null, "1.0", "1.1", T0, T0, null,
                Map.of());
    }
}
