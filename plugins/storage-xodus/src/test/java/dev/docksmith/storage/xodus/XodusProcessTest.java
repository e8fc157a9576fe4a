package dev.docksmith.storage.xodus;

import dev.docksmith.api.CheckRecord;
import dev.docksmith.api.HistoryQuery;
import dev.docksmith.api.Operation;
import dev.docksmith.api.OperationQuery;
import dev.docksmith.api.OperationStatus;
import dev.docksmith.api.StorageException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Tests that need a second JVM: one killed right after a save, one holding the directory lock. */
class XodusProcessTest {
    static final Instant T0 = Instant.parse("2025-03-01T10:00:00.123456Z");

    @TempDir
    Path dir;

    private Process child;

    @AfterEach
    void killChild() throws InterruptedException {
        if (child != null && child.isAlive()) {
            child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void whatWasSavedSurvivesSigkillRightAfterSaveReturns() throws Exception {
        BufferedReader out = start("save", dir);
        String saved = awaitLine(out, "SAVED");
        child.destroyForcibly(); // SIGKILL on Unix: no shutdown hooks, no close()
        assertTrue(child.waitFor(10, TimeUnit.SECONDS));
        System.out.println("child " + saved);

        try (XodusStore store = XodusStore.open(dir)) {
            assertEquals(Optional.of(Child.operation()), store.operation("op_crash"));
            assertEquals(1, store.operations(OperationQuery.all()).size());
            assertEquals(List.of(Child.check()), store.checks(new HistoryQuery(null, null, 10)));
            assertEquals(Optional.of("kept"), store.settings().get("crash", "key"));
        }
    }

    @Test
    void aDirectoryHeldByAnotherProcessIsRefusedAtOnce() throws Exception {
        BufferedReader out = start("hold", dir);
        awaitLine(out, "OPEN");

        long started = System.nanoTime();
        StorageException e = assertThrows(StorageException.class, () -> XodusStore.open(dir));
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        assertTrue(e.getMessage().contains("another Docksmith process is using " + dir.toAbsolutePath()), e.getMessage());
        assertTrue(millis < 5_000, "failing took " + millis + " ms");

        child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        try (XodusStore store = XodusStore.open(dir)) {
            assertTrue(store.operation("op_crash").isPresent(), "usable once the other process is gone");
        }
    }

    private BufferedReader start(String mode, Path dir) throws IOException {
        String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = new ArrayList<>(List.of(java, "-Xmx64m"));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Child.class.getName(), mode, dir.toString()));
        child = new ProcessBuilder(command).redirectErrorStream(true).start();
        return new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
    }

    /** Reads the child's output until a line starting with {@code marker}; fails with everything it printed otherwise. */
    private static String awaitLine(BufferedReader out, String marker) throws IOException {
        StringBuilder seen = new StringBuilder();
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            if (line.startsWith(marker)) {
                return line;
            }
            seen.append(line).append('\n');
        }
        throw new AssertionError("the child process ended without printing " + marker + ":\n" + seen);
    }

    /** The second JVM. {@code save}: save, report, wait to be killed. {@code hold}: open, report, wait. */
    public static final class Child {
        static Operation operation() {
            return new Operation("op_crash", "update", OperationStatus.COMPLETE, "web", "shop", "1.0", "1.1",
                    T0, T0.plusSeconds(3), null, Map.of("new_image_id", "sha256:feed"));
        }

        static CheckRecord check() {
            return new CheckRecord(T0, "web", "nginx:1.0", "1.0", "1.1", "UPDATE_AVAILABLE", null);
        }

        public static void main(String[] args) throws Exception {
            long t0 = System.nanoTime();
            XodusStore store = XodusStore.open(Path.of(args[1]));
            long opened = System.nanoTime();
            if (args[0].equals("save")) {
                store.settings().put("crash", "key", "kept");
                store.saveCheck(check());
                long t1 = System.nanoTime();
                store.save(operation());
                long saved = System.nanoTime();
                System.out.println("SAVED open " + (opened - t0) / 1_000_000 + " ms, save " + (saved - t1) / 1_000 + " us");
            } else {
                store.save(operation());
                System.out.println("OPEN");
            }
            System.out.flush();
            Thread.sleep(60_000); // killed long before this; never closes the store
            System.exit(3);
        }
    }
}
