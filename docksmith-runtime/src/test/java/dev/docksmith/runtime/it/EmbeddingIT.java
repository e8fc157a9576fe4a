package dev.docksmith.runtime.it;

import com.sun.net.httpserver.HttpServer;
import dev.docksmith.api.Event;
import dev.docksmith.api.ImageRef;
import dev.docksmith.api.NotFoundException;
import dev.docksmith.api.Operation;
import dev.docksmith.api.OperationQuery;
import dev.docksmith.api.OperationStatus;
import dev.docksmith.api.UpdateCandidate;
import dev.docksmith.api.Verdict;
import dev.docksmith.runtime.Docksmith;
import dev.docksmith.runtime.LeftoverThreads;
import dev.docksmith.runtime.UpdateOptions;
import dev.docksmith.runtime.check.CheckReport;
import dev.docksmith.runtime.check.CheckResult;
import dev.docksmith.runtime.plugin.PreUpdateChecks;
import dev.docksmith.runtime.config.DocksmithConfig;
import dev.docksmith.runtime.config.Setting;
import dev.docksmith.runtime.store.InMemoryStore;
import dev.docksmith.runtime.update.Updater;
import dev.docksmith.spi.PreUpdateCheck;
import dev.docksmith.spi.RegistryClient;
import dev.docksmith.spi.RegistryPlugin;
import org.junit.jupiter.api.Test;

import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Docksmith embedded in a host application: without HTTP, the programmatic API checks, updates and
 * lists operations on the real engine with work on the host's executor; on its own server and
 * worker pool; mounted on the host's server. In each, start/stop/close in any order leave no thread
 * of Docksmith's behind.
 */
class EmbeddingIT {
    @Test
    void aHostUsesDocksmithInProcessAndGetsEveryThreadBack() throws Exception {
        RealEngine.require();
        LeftoverThreads threads = LeftoverThreads.snapshot();
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
        threads.assertNoneLeft();
    }

    /** Docksmith's own server (port 0) and worker pool: a real check and an open event stream, then stop. */
    @Test
    void itsOwnServerAndWorkerPoolEndWithStop() throws Exception {
        RealEngine.require();
        LeftoverThreads threads = LeftoverThreads.snapshot();
        String name = RealEngine.runDemo(RealEngine.unique("embedded-own"));
        Docksmith docksmith = Docksmith.builder()
                .config(DocksmithConfig.defaults().with(Setting.CHECK_INTERVAL, "0").with(Setting.PORT, "0"))
                .store(new InMemoryStore()).build();
        try {
            docksmith.start();
            int port = docksmith.port();
            assertTrue(port > 0, "port 0 picked a free port");
            assertEquals("UPDATE_AVAILABLE", docksmith.check(name).status().name(), "registry calls ran on the worker pool");
            assertEquals(200, open(port, "/api/container/" + name + "/recheck").getResponseCode());
            HttpURLConnection events = open(port, "/api/events"); // a stream has a thread of its own
            assertEquals(200, events.getResponseCode());

            docksmith.stop();
            events.disconnect();
            assertEquals(-1, docksmith.port());
        } finally {
            docksmith.close();
            RealEngine.dockerQuietly("rm", "-f", name);
        }
        threads.assertNoneLeft();
    }

    /** Mounted on the host's server: stop removes our context, leaves the host serving and no thread of ours. */
    @Test
    void mountedOnAHostServerItLeavesTheServerAndNoThreads() throws Exception {
        RealEngine.require();
        HttpServer host = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        host.createContext("/own", exchange -> {
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        host.start();
        int port = host.getAddress().getPort();
        String name = RealEngine.runDemo(RealEngine.unique("embedded-mounted"));
        try {
            LeftoverThreads threads = LeftoverThreads.snapshot();
            Docksmith docksmith = Docksmith.builder()
                    .config(DocksmithConfig.defaults().with(Setting.CHECK_INTERVAL, "0"))
                    .store(new InMemoryStore()).httpServer(host, "/docksmith").build();
            docksmith.close(); // before start: harmless, and final
            assertThrows(IllegalStateException.class, docksmith::start);

            docksmith = Docksmith.builder()
                    .config(DocksmithConfig.defaults().with(Setting.CHECK_INTERVAL, "0"))
                    .store(new InMemoryStore()).httpServer(host, "/docksmith").build().start();
            assertEquals(-1, docksmith.port(), "the port is the host's");
            assertEquals(200, open(port, "/docksmith/api/container/" + name + "/recheck").getResponseCode());
            HttpURLConnection events = open(port, "/docksmith/api/events");
            assertEquals(200, events.getResponseCode());

            docksmith.close();
            docksmith.close();
            events.disconnect();
            IllegalStateException refused = assertThrows(IllegalStateException.class, docksmith::start);
            assertEquals("a stopped Docksmith cannot be started again; build a new one", refused.getMessage());
            threads.assertNoneLeft();
            assertEquals(404, open(port, "/docksmith/api/health").getResponseCode(), "our context is gone");
            assertEquals(204, open(port, "/own").getResponseCode(), "the host's server goes on");
        } finally {
            host.stop(0);
            RealEngine.dockerQuietly("rm", "-f", name);
        }
    }

    /**
     * The in-process update takes what POST /api/update does: a pre-update check given in code blocks
     * a container that names it; {@code force} goes past it; {@code script} runs it for one that does not.
     */
    @Test
    void updateOptionsForceAndScriptLikeTheHttpApi() throws Exception {
        RealEngine.require();
        String labelled = RealEngine.runDemo(RealEngine.unique("embedded-frozen"), "--label", PreUpdateChecks.LABEL + "=" + Freeze.CHECK);
        String plain = RealEngine.runDemo(RealEngine.unique("embedded-plain"));
        Docksmith docksmith = Docksmith.builder()
                .config(DocksmithConfig.defaults().with(Setting.CHECK_INTERVAL, "0").with(Setting.HEALTH_GRACE, "1s"))
                .store(new InMemoryStore()).noHttp().plugin(new Freeze()).build().start();
        try {
            CheckResult checked = docksmith.check(labelled);
            assertEquals("UPDATE_AVAILABLE_BLOCKED", checked.status().name(), checked.toMap().toString());
            assertEquals(Freeze.WHY, checked.blockedReason());

            Operation blocked = docksmith.update(labelled, "1.1.0").done().get(120, TimeUnit.SECONDS);
            assertEquals(OperationStatus.FAILED, blocked.status());
            assertEquals("blocked by pre-update check: " + Freeze.WHY, blocked.error());
            assertEquals(RealEngine.DEMO_1, UpdateFixture.imageOf(labelled));

            Operation forced = docksmith.update(labelled, "1.1.0", UpdateOptions.forced()).done().get(120, TimeUnit.SECONDS);
            assertEquals(OperationStatus.COMPLETE, forced.status(), String.valueOf(forced.error()));
            assertEquals(RealEngine.DEMO_REPO + ":1.1.0", UpdateFixture.imageOf(labelled));

            Operation scripted = docksmith.update(plain, "1.1.0", UpdateOptions.withScript(Freeze.CHECK)).done().get(120, TimeUnit.SECONDS);
            assertEquals("blocked by pre-update check: " + Freeze.WHY, scripted.error());
            assertEquals(RealEngine.DEMO_1, UpdateFixture.imageOf(plain));
            assertThrows(NotFoundException.class, () -> docksmith.update(plain, "1.1.0", UpdateOptions.withScript("no-such-check")),
                    "an unknown check is refused before anything is queued");
        } finally {
            docksmith.close();
            RealEngine.dockerQuietly("rm", "-f", labelled, plain);
        }
    }

    /**
     * An update stuck in a pre-update check that ignores interrupts, and a second one queued behind it
     * on the same container: after stop(), both callers' waits end with an error instead of forever.
     */
    @Test
    void updatesStuckOrQueuedWhenDocksmithStopsEndTheirCallersWaits() throws Exception {
        RealEngine.require();
        String name = RealEngine.runDemo(RealEngine.unique("embedded-stuck-update"));
        CountDownLatch entered = new CountDownLatch(1);
        Docksmith docksmith = Docksmith.builder()
                .config(DocksmithConfig.defaults().with(Setting.CHECK_INTERVAL, "0"))
                .store(new InMemoryStore()).noHttp().plugin(new StuckCheck(entered)).build().start();
        try {
            Updater.Submitted running = docksmith.update(name, "1.1.0", UpdateOptions.withScript(StuckCheck.CHECK));
            assertTrue(entered.await(60, TimeUnit.SECONDS), "the first update reached its pre-update check");
            Updater.Submitted queued = docksmith.update(name, "1.1.0", UpdateOptions.withScript(StuckCheck.CHECK));
            docksmith.stop();
            for (Updater.Submitted s : List.of(running, queued)) {
                ExecutionException e = assertThrows(ExecutionException.class, () -> s.done().get(3, TimeUnit.SECONDS),
                        "the caller of " + s.operation().id() + " still waits after stop()");
                assertTrue(e.getCause().getMessage().contains("Docksmith stopped before the update finished"), e.toString());
            }
        } finally {
            docksmith.close();
            RealEngine.dockerQuietly("rm", "-f", name);
        }
    }

    /** A host's plugin offering one pre-update check, {@code check}; subclasses decide. */
    private abstract static class OneCheck implements PreUpdateCheck {
        private final String check;

        OneCheck(String check) {
            this.check = check;
        }

        @Override
        public String name() {
            return "host-" + check;
        }

        @Override
        public List<String> available() {
            return List.of(check);
        }

        @Override
        public String resolve(String reference) {
            if (!reference.equals(check)) {
                throw new NotFoundException("no check " + reference);
            }
            return check;
        }
    }

    /** A pre-update check that takes 6 s and ignores interrupts, as a check blocked on a socket does. */
    private static final class StuckCheck extends OneCheck {
        static final String CHECK = "stuck";
        private final CountDownLatch entered;

        StuckCheck(CountDownLatch entered) {
            super(CHECK);
            this.entered = entered;
        }

        @Override
        public Verdict run(String check, UpdateCandidate candidate) {
            entered.countDown();
            SlowRegistry.sleepThroughInterrupts(Duration.ofSeconds(6));
            return Verdict.block("took too long");
        }
    }

    /** A pre-update check a host gives in code: it always says no. */
    private static final class Freeze extends OneCheck {
        static final String CHECK = "change-freeze";
        static final String WHY = "change freeze until the release is out";

        Freeze() {
            super(CHECK);
        }

        @Override
        public Verdict run(String check, UpdateCandidate candidate) {
            return Verdict.block(WHY);
        }
    }

    /** A registry call in flight on Docksmith's own pool when stop() is called: stop returns once that thread has ended. */
    @Test
    void stopWaitsForItsWorkerThreads() throws Exception {
        RealEngine.require();
        LeftoverThreads threads = LeftoverThreads.snapshot();
        String name = RealEngine.runDemo(RealEngine.unique("embedded-stop"));
        CountDownLatch asked = new CountDownLatch(1);
        Docksmith docksmith = Docksmith.builder()
                .config(DocksmithConfig.defaults().with(Setting.CHECK_INTERVAL, "0"))
                .store(new InMemoryStore()).noHttp().plugin(new SlowRegistry(asked)).build().start();
        Thread check = new Thread(() -> {
            try {
                docksmith.check(name);
            } catch (RuntimeException expected) {
                // stopped under it
            }
        }, "host-check");
        check.setDaemon(true);
        try {
            check.start();
            assertTrue(asked.await(60, TimeUnit.SECONDS), "the registry was asked");
            docksmith.stop();
            threads.assertNoneLeftWithin(Duration.ofMillis(300));
        } finally {
            docksmith.close();
            check.join(10_000);
            RealEngine.dockerQuietly("rm", "-f", name);
        }
    }

    /**
     * A registry call stuck past stop()'s wait for its threads (a plugin that ignores interrupts): the
     * host's check() must still return, with an error, instead of waiting for work that will never end.
     */
    @Test
    void aCheckWaitingOnAStuckPluginEndsWhenDocksmithStops() throws Exception {
        RealEngine.require();
        String name = RealEngine.runDemo(RealEngine.unique("embedded-stuck"));
        CountDownLatch asked = new CountDownLatch(1);
        Docksmith docksmith = Docksmith.builder()
                .config(DocksmithConfig.defaults().with(Setting.CHECK_INTERVAL, "0"))
                .store(new InMemoryStore()).noHttp().plugin(new SlowRegistry(asked, Duration.ofSeconds(6))).build().start();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread check = new Thread(() -> {
            try {
                docksmith.check(name);
            } catch (RuntimeException expected) {
                failure.set(expected);
            }
        }, "host-check-stuck");
        check.setDaemon(true);
        try {
            check.start();
            assertTrue(asked.await(60, TimeUnit.SECONDS), "the registry was asked");
            docksmith.stop();
            check.join(3_000);
            assertFalse(check.isAlive(), "the host's check() still waits after stop()");
            assertTrue(String.valueOf(failure.get()).contains("Docksmith stopped before the check finished"),
                    String.valueOf(failure.get()));
        } finally {
            docksmith.close();
            RealEngine.dockerQuietly("rm", "-f", name);
        }
    }

    /** Answers for the test registry, slowly, and ignoring interrupts as a blocking socket read does. */
    private static final class SlowRegistry implements RegistryPlugin {
        private final CountDownLatch asked;
        private final Duration time;

        SlowRegistry(CountDownLatch asked) {
            this(asked, Duration.ofMillis(1500));
        }

        SlowRegistry(CountDownLatch asked, Duration time) {
            this.asked = asked;
            this.time = time;
        }

        @Override
        public String name() {
            return "slow-registry";
        }

        @Override
        public int priority() {
            return 1000;
        }

        @Override
        public boolean serves(ImageRef image) {
            return image.registry().equals(ImageRef.parse(RealEngine.DEMO_REPO).registry());
        }

        @Override
        public RegistryClient client(ImageRef image) {
            return new RegistryClient() {
                @Override
                public List<String> tags(ImageRef repository) {
                    asked.countDown();
                    sleepThroughInterrupts(time);
                    return List.of("1.0.0");
                }

                @Override
                public Optional<String> digest(ImageRef image) {
                    return Optional.empty();
                }
            };
        }

        private static void sleepThroughInterrupts(Duration time) {
            long end = System.nanoTime() + time.toNanos();
            boolean interrupted = false;
            while (System.nanoTime() < end) {
                try {
                    Thread.sleep(Math.max(1, (end - System.nanoTime()) / 1_000_000));
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static HttpURLConnection open(int port, String path) throws Exception {
        HttpURLConnection c = (HttpURLConnection) new URL("http://127.0.0.1:" + port + path).openConnection();
        c.setReadTimeout(30_000);
        return c;
    }
}
