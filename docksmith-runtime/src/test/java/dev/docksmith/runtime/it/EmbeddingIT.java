package dev.docksmith.runtime.it;

import dev.docksmith.api.Event;
import dev.docksmith.api.Operation;
import dev.docksmith.api.OperationQuery;
import dev.docksmith.api.OperationStatus;
import dev.docksmith.runtime.Docksmith;
import dev.docksmith.runtime.check.CheckReport;
import dev.docksmith.runtime.check.CheckResult;
import dev.docksmith.runtime.config.DocksmithConfig;
import dev.docksmith.runtime.config.Setting;
import dev.docksmith.runtime.store.InMemoryStore;
import dev.docksmith.runtime.update.Updater;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Docksmith embedded in a host application without HTTP: the programmatic API checks, updates and
 * lists operations on the real engine, work runs on the host's executor, and start/stop/close in any
 * order leave no thread of Docksmith's behind.
 */
class EmbeddingIT {
    @Test
    void aHostUsesDocksmithInProcessAndGetsEveryThreadBack() throws Exception {
        RealEngine.require();
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        ExecutorService hostExecutor = Executors.newCachedThreadPool();
        List<Event> seen = new CopyOnWriteArrayList<>();
        String name = RealEngine.runDemo(RealEngine.unique("embedded"));
        Docksmith docksmith = Docksmith.builder()
                .config(DocksmithConfig.defaults().with(Setting.CHECK_INTERVAL, "0").with(Setting.HEALTH_GRACE, "1s"))
                .store(new InMemoryStore()).executor(hostExecutor).noHttp().build();
        try {
            assertThrows(IllegalStateException.class, docksmith::check, "not started yet");
            assertSame(docksmith, docksmith.start());
            assertSame(docksmith, docksmith.start(), "a second start is harmless");
            assertEquals(-1, docksmith.port(), "no HTTP");
            AutoCloseable subscription = docksmith.onEvent(seen::add);

            CheckResult one = docksmith.check(name);
            assertEquals("UPDATE_AVAILABLE", one.status().name(), one.toMap().toString());
            assertEquals("2.1.0", one.latestVersion());
            CheckReport all = docksmith.check();
            assertTrue(all.results().stream().anyMatch(r -> r.name().equals(name)));

            Updater.Submitted update = docksmith.update(name, "1.1.0");
            Operation done = update.done().get(120, TimeUnit.SECONDS);
            assertEquals(OperationStatus.COMPLETE, done.status(), String.valueOf(done.error()));
            assertEquals(RealEngine.DEMO_REPO + ":1.1.0", UpdateFixture.imageOf(name));
            assertEquals(done, docksmith.operation(done.id()).orElseThrow());
            assertTrue(docksmith.operations(new OperationQuery(name, null, "update", 10)).contains(done));
            assertTrue(seen.stream().anyMatch(e -> e.type().equals("container.updated")), seen.toString());
            subscription.close();

            Operation back = docksmith.rollback(done.id()).done().get(120, TimeUnit.SECONDS);
            assertEquals(OperationStatus.COMPLETE, back.status(), String.valueOf(back.error()));
            assertEquals(RealEngine.DEMO_1, UpdateFixture.imageOf(name));
        } finally {
            docksmith.stop();
            docksmith.close();
            docksmith.stop();
            RealEngine.dockerQuietly("rm", "-f", name);
        }
        assertThrows(IllegalStateException.class, docksmith::start, "a stopped instance says so instead of half-starting");

        hostExecutor.shutdown();
        assertTrue(hostExecutor.awaitTermination(30, TimeUnit.SECONDS), "the host's executor is the host's to stop");
        List<String> left = List.of();
        for (int i = 0; i < 50; i++) { // threads end a moment after they are told to
            left = leftBehind(before);
            if (left.isEmpty()) {
                break;
            }
            Thread.sleep(100);
        }
        assertEquals(List.of(), left, "threads Docksmith started and left running");
    }

    /** New threads that are Docksmith's (named docksmith-*) or would keep a JVM alive (not daemon). */
    private static List<String> leftBehind(Set<Thread> before) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> !before.contains(t) && t.isAlive())
                .filter(t -> t.getName().startsWith("docksmith") || !t.isDaemon())
                .map(t -> t.getName() + (t.isDaemon() ? " (daemon)" : ""))
                .sorted().collect(Collectors.toList());
    }
}
