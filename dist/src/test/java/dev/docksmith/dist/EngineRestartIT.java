package dev.docksmith.dist;

import com.fasterxml.jackson.databind.JsonNode;
import dev.docksmith.dist.EndToEnd.Result;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static dev.docksmith.dist.EndToEnd.JAR;
import static dev.docksmith.dist.EndToEnd.JSON;
import static dev.docksmith.dist.EndToEnd.awaitHealthy;
import static dev.docksmith.dist.EndToEnd.freePort;
import static dev.docksmith.dist.EndToEnd.get;
import static dev.docksmith.dist.EndToEnd.java;
import static dev.docksmith.dist.EndToEnd.requireEngine;
import static dev.docksmith.dist.EndToEnd.run;
import static dev.docksmith.dist.EndToEnd.send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The engine goes away under a running Docksmith and comes back: the real jar runs, the dockerd
 * that {@code scripts/test-env.sh} started is stopped (SIGTERM to the PID that script recorded, never
 * by name), and started again by {@code scripts/test-env.sh up}. While it is away Docksmith says so
 * (500 {@code DOCKER_UNAVAILABLE} naming the socket, {@code /api/health} still 200, a
 * {@code docker.unreachable} event, nothing left in flight); once it is back Docksmith answers again
 * and follows the engine's events without being restarted.
 *
 * <p>Stopping the engine stops every container on it, so this test runs only on the engine the
 * test environment started, and returns only once {@code docker info} answers again: the tests after
 * it (which create their own containers) find the engine and the registry as before.
 */
class EngineRestartIT {
    static final String IMAGE = "localhost:5000/docksmith/demo:1.0.0";
    static final Set<String> TERMINAL = Set.of("complete", "failed", "rolled_back");

    /** How long the engine stays away (from the SIGTERM) before it is started again. */
    static final long OUTAGE_MS = 20_000;
    /** How soon after the engine answers again its events must flow through Docksmith. */
    static final long MAX_EVENT_LAG_MS = 5_000;

    final List<Process> processes = new ArrayList<>();
    final List<String> containers = new ArrayList<>();
    EventFeed feed;
    Path dir;
    boolean engineStopped;

    @Test
    void reportsTheOutageAndRecoversWithoutARestart(@TempDir Path tmp) throws Exception {
        requireEngine();
        dir = tmp;
        Path testEnv = Path.of("../scripts/test-env.sh").toAbsolutePath().normalize();
        String socket = socket();
        ProcessHandle dockerd = ourDockerd(socket);

        String suffix = Long.toString(System.nanoTime(), 36);
        String before = "engine-restart-before-" + suffix;
        Result started = run("docker", "run", "-d", "--name", before, "--network", "none", IMAGE);
        assertEquals(0, started.exit(), started.output());
        containers.add(before);

        int port = freePort();
        ProcessBuilder pb = new ProcessBuilder(java("-jar", JAR.toString(), "--port", String.valueOf(port),
                "--data", dir.resolve("data").toString(), "--check-interval", "0"))
                .redirectErrorStream(true).redirectOutput(dir.resolve("docksmith.log").toFile());
        pb.environment().put("DOCKSMITH_PLUGINS_DIR", dir.resolve("plugins").toString());
        Process docksmith = pb.start();
        processes.add(docksmith);
        awaitHealthy(port, docksmith, dir.resolve("docksmith.log"));
        feed = new EventFeed(port);
        assertTrue(names(get(port, "/api/explorer")).contains(before), "the explorer lists " + before);
        assertTrue(get(port, "/api/docker-config").path("data").path("reachable").asBoolean());

        // ---- the engine stops: SIGTERM to the dockerd the test environment started, by its recorded PID
        long t0 = System.nanoTime();
        engineStopped = true;
        assertTrue(dockerd.destroy(), "SIGTERM to dockerd " + dockerd.pid());
        dockerd.onExit().get(60, TimeUnit.SECONDS);
        long stopMs = ms(t0);
        assertFalse(dockerd.isAlive());
        EnginePoller poller = new EnginePoller(Path.of(socket));

        JsonNode unreachable = feed.await(e -> e.path("type").asText().equals("docker.unreachable"), 30,
                () -> "no docker.unreachable event within 30 s of the engine stopping\n" + log());
        long unreachableEventMs = ms(t0);
        assertTrue(unreachable.path("payload").path("endpoint").asText().contains(socket), unreachable.toString());

        assertEquals(200, send(port, "GET", "/api/health").statusCode(), "health does not depend on the engine");
        Map<String, Long> outage = new LinkedHashMap<>();
        for (String route : List.of("/api/check", "/api/explorer", "/api/images", "/api/containers/" + before + "/inspect")) {
            long r0 = System.nanoTime();
            HttpResponse<String> r = send(port, "GET", route);
            outage.put("GET " + route, ms(r0));
            assertUnavailable(route, r, socket);
        }
        JsonNode config = get(port, "/api/docker-config").path("data");
        assertFalse(config.path("reachable").asBoolean(), config.toString());
        assertTrue(config.path("error").asText().contains(socket), config.toString());
        // State-changing routes fail the same way, and leave no operation in flight.
        HttpResponse<String> restart = send(port, "POST", "/api/containers/" + before + "/restart");
        assertUnavailable("POST restart", restart, socket);
        HttpResponse<String> update = send(port, "POST", "/api/update",
                JSON.createObjectNode().put("container", before).put("version", "1.1.0").toString());
        assertUnavailable("POST update", update, socket);
        for (JsonNode op : get(port, "/api/operations").path("data")) {
            assertTrue(TERMINAL.contains(op.path("status").asText()), "left in flight while the engine was away: " + op);
        }
        // An outage of some length, as an engine upgrade makes: long enough for a retry schedule to stretch.
        while (ms(t0) < OUTAGE_MS) {
            assertFalse(poller.answered(), "the engine answered again before this test restarted it: something else "
                    + "started dockerd during the outage (" + ourDockerdNow() + ")");
            assertUnavailable("/api/explorer during the outage", send(port, "GET", "/api/explorer"), socket);
            Thread.sleep(1000);
        }

        // ---- the engine comes back: the test environment's own command restarts what is missing
        long t1 = System.nanoTime();
        Result up = run(null, List.of("bash", testEnv.toString(), "up"));
        long upMs = ms(t1);
        assertEquals(0, up.exit(), "scripts/test-env.sh up after stopping dockerd:\n" + up.output());
        Result info = run("docker", "info", "--format", "{{.ServerVersion}}");
        assertEquals(0, info.exit(), info.output());
        engineStopped = false;
        long backNs = poller.answeredAt();
        long downMs = TimeUnit.NANOSECONDS.toMillis(backNs - t0);

        // Docksmith answers again, without having been restarted.
        long t2 = System.nanoTime();
        HttpResponse<String> check = send(port, "GET", "/api/check");
        long firstCheckMs = ms(t2);
        assertEquals(200, check.statusCode(), check.body());
        assertEquals(200, send(port, "GET", "/api/images").statusCode());
        assertTrue(names(get(port, "/api/explorer")).contains(before), "the explorer lists " + before + " again");
        assertTrue(get(port, "/api/docker-config").path("data").path("reachable").asBoolean());
        JsonNode reconnected = feed.await(e -> e.path("type").asText().equals("docker.reconnected"), 60,
                () -> "no docker.reconnected event within 60 s of the engine being back\n" + log());
        assertTrue(reconnected.path("payload").path("endpoint").asText().contains(socket), reconnected.toString());
        // Events resume soon after the engine answers again, however long it was away.
        long reconnectedMs = TimeUnit.NANOSECONDS.toMillis(reconnected.path(EventFeed.RECEIVED).asLong() - backNs);
        assertTrue(reconnectedMs < MAX_EVENT_LAG_MS, "docker.reconnected came " + reconnectedMs
                + " ms after the engine answered again (at most " + MAX_EVENT_LAG_MS + " ms allowed)\n" + log());

        // Engine events flow again: a container started now is seen on the event stream and in the explorer.
        String after = "engine-restart-after-" + suffix;
        long t3 = System.nanoTime();
        Result afterRun = run("docker", "run", "-d", "--name", after, "--network", "none", IMAGE);
        containers.add(after);
        assertEquals(0, afterRun.exit(), afterRun.output());
        feed.await(e -> e.path("type").asText().equals("container.started")
                        && after.equals(e.path("payload").path("container").asText()), 30,
                () -> "no container.started event for " + after + "\n" + log());
        long startedEventMs = ms(t3);
        assertTrue(names(get(port, "/api/explorer")).contains(after), "the explorer lists " + after);
        assertTrue(docksmith.isAlive(), "the same Docksmith process throughout");

        System.out.printf("EngineRestartIT: dockerd (pid %d) stopped %d ms after SIGTERM; docker.unreachable event at %d ms; "
                        + "answers while away (ms): %s; engine away %d ms in all; scripts/test-env.sh up took %d ms "
                        + "(dockerd answering %d ms into it); first /api/check after it: 200 in %d ms; "
                        + "docker.reconnected %d ms after the engine answered; container.started of a new container %d ms "
                        + "after docker run%n",
                dockerd.pid(), stopMs, unreachableEventMs, outage, downMs, upMs,
                TimeUnit.NANOSECONDS.toMillis(backNs - t1), firstCheckMs, reconnectedMs, startedEventMs);
        System.out.println("EngineRestartIT: outage answer: " + restart.body());
        System.out.println("EngineRestartIT: Docksmith's log on the engine and checks:\n" + Files.readAllLines(dir.resolve("docksmith.log"))
                .stream().filter(l -> l.contains("EngineEventRelay") || l.contains("Checker") || l.contains("/api/check"))
                .collect(Collectors.joining("\n")));
        System.out.println("EngineRestartIT: scripts/test-env.sh up, step by step: " + up.output().lines()
                .filter(l -> l.contains("<== ") || l.contains("environment up in") || l.contains("dockerd pid"))
                .map(l -> l.replaceFirst("^\\[test-env [0-9:]+\\] ", "")).collect(Collectors.joining("; ")));
    }

    /** Asks the engine's socket for {@code /_ping} every 100 ms, remembering when it first answered. */
    static final class EnginePoller {
        private final CompletableFuture<Long> answered = new CompletableFuture<>();

        EnginePoller(Path socket) {
            Thread t = new Thread(() -> {
                while (!answered.isDone()) {
                    try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
                        ch.write(ByteBuffer.wrap("GET /_ping HTTP/1.0\r\nHost: docker\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
                        ByteBuffer in = ByteBuffer.allocate(512);
                        while (ch.read(in) > 0 && in.hasRemaining()) {
                            // to the end: HTTP/1.0, the engine closes
                        }
                        String reply = new String(in.array(), 0, in.position(), StandardCharsets.US_ASCII);
                        if (reply.startsWith("HTTP/1.") && reply.contains(" 200 ") && reply.endsWith("OK")) {
                            answered.complete(System.nanoTime());
                        }
                    } catch (IOException notYet) {
                        // no socket, or nobody listening on it yet
                    }
                    try {
                        Thread.sleep(100);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "engine-poller");
            t.setDaemon(true);
            t.start();
        }

        boolean answered() {
            return answered.isDone();
        }

        /** {@link System#nanoTime()} when the engine first answered; waits up to 30 s more for it. */
        long answeredAt() throws Exception {
            return answered.get(30, TimeUnit.SECONDS);
        }
    }

    static void assertUnavailable(String what, HttpResponse<String> r, String socket) throws Exception {
        assertEquals(500, r.statusCode(), what + ": " + r.body());
        JsonNode error = JSON.readTree(r.body()).path("error");
        assertEquals("DOCKER_UNAVAILABLE", error.path("code").asText(), what + ": " + r.body());
        assertTrue(error.path("message").asText().contains(socket), what + " names the socket: " + r.body());
    }

    /** The engine's socket as Docksmith (and the test environment) reach it. */
    static String socket() {
        String host = System.getenv().getOrDefault("DOCKER_HOST", "unix:///var/run/docker.sock");
        Assumptions.assumeTrue(host.startsWith("unix://"), "this test stops a local dockerd; DOCKER_HOST is " + host);
        return host.substring("unix://".length());
    }

    /**
     * The dockerd that scripts/test-env.sh started and recorded, serving {@code socket}. Any other engine
     * is left alone: the test skips loudly rather than stop an engine it does not own.
     */
    static ProcessHandle ourDockerd(String socket) throws Exception {
        Path pidFile = Path.of(System.getenv().getOrDefault("STATE_DIR", "/tmp/docksmith-test-env"), "dockerd.pid");
        String why = null;
        ProcessHandle dockerd = null;
        if (!"root".equals(System.getProperty("user.name"))) {
            why = "scripts/test-env.sh up must run as root";
        } else if (!Files.isRegularFile(pidFile)) {
            why = "no " + pidFile + ": the engine was not started by scripts/test-env.sh";
        } else {
            long pid = Long.parseLong(Files.readString(pidFile).trim());
            dockerd = ProcessHandle.of(pid).orElse(null);
            List<String> args = dockerd == null ? List.of()
                    : dockerd.info().arguments().map(Arrays::asList).orElse(List.of());
            String command = dockerd == null ? "" : dockerd.info().command().orElse("");
            if (!command.endsWith("/dockerd") || !args.contains("--host=unix://" + socket)) {
                why = pidFile + " names pid " + pid + " (" + command + " " + args + "), not a dockerd serving " + socket;
            }
        }
        if (why != null) {
            System.err.println("\n*** SKIPPING EngineRestartIT: it stops and restarts dockerd, and only does so to the one "
                    + "scripts/test-env.sh started: " + why + " ***\n");
            Assumptions.abort(why);
        }
        return dockerd;
    }

    static String ourDockerdNow() {
        Result status = run(null, List.of("bash", Path.of("../scripts/test-env.sh").toAbsolutePath().normalize().toString(), "status"));
        return status.output().lines().filter(l -> l.contains("engine:")).findFirst().orElse(status.output()).trim();
    }

    static List<String> names(JsonNode explorer) {
        List<String> names = new ArrayList<>();
        for (JsonNode c : explorer.path("data").path("containers")) {
            names.add(c.path("name").asText());
        }
        return names;
    }

    String log() {
        try {
            return "--- docksmith.log ---\n" + Files.readString(dir.resolve("docksmith.log"));
        } catch (Exception e) {
            return e.toString();
        }
    }

    static long ms(long since) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - since);
    }

    @AfterEach
    void cleanUp() {
        if (feed != null) {
            feed.close();
        }
        processes.forEach(Process::destroyForcibly);
        if (engineStopped) {
            // The test failed with the engine away: bring it back for the tests that follow.
            Result up = run(null, List.of("bash", Path.of("../scripts/test-env.sh").toAbsolutePath().normalize().toString(), "up"));
            if (up.exit() != 0) {
                System.err.println("EngineRestartIT: scripts/test-env.sh up failed while cleaning up:\n" + up.output());
            }
        }
        containers.forEach(c -> run("docker", "rm", "-f", c));
    }
}
