package dev.docksmith.dist;

import com.fasterxml.jackson.databind.JsonNode;
import dev.docksmith.dist.EndToEnd.Result;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.stream.Stream;

import static dev.docksmith.dist.EndToEnd.JAR;
import static dev.docksmith.dist.EndToEnd.JSON;
import static dev.docksmith.dist.EndToEnd.awaitHealthy;
import static dev.docksmith.dist.EndToEnd.freePort;
import static dev.docksmith.dist.EndToEnd.get;
import static dev.docksmith.dist.EndToEnd.java;
import static dev.docksmith.dist.EndToEnd.require;
import static dev.docksmith.dist.EndToEnd.requireEngine;
import static dev.docksmith.dist.EndToEnd.run;
import static dev.docksmith.dist.EndToEnd.send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Crash safety of a compose update with the real jar: Docksmith is SIGKILLed while an update is
 * pulling or recreating (the compose CLI it ran surviving it, or killed with it), started again on
 * the same store, and must end the operation as failed, leave the compose file whole and agreeing
 * with what runs, and the service running.
 */
class UpdateCrashIT {
    static final String LOCAL = "localhost:5000/docksmith/demo";
    // Comments, both quote styles and a command that ignores SIGTERM (so a recreate takes the whole
    // stop_grace_period): a file written halfway, or re-serialised instead of edited, differs in bytes.
    static final String COMPOSE_FILE = """
            # crash test: these bytes must survive an update killed halfway
            services:
              web:  # the only service
                image: "%s:1.0.0"   # quoted on purpose
                network_mode: 'none'
                stop_grace_period: 6s
                command: ["/bin/sh", "-c", "trap '' TERM; httpd -f -p 8080 -h /www & while true; do sleep 1; done"]
                labels:
                  dev.docksmith.test: 'true'
                  note: "it's a 'quoted' value # not a comment"
            """;

    static final Set<String> TERMINAL = Set.of("complete", "failed", "rolled_back");

    final List<Process> processes = new ArrayList<>();
    final List<ProcessHandle> orphans = new ArrayList<>();
    final List<String> images = new ArrayList<>();
    PullSlowingProxy proxy;
    List<String> compose;
    Path dir;

    static Stream<Arguments> cases() {
        return Stream.of("docker compose", "docker-compose").flatMap(cli -> Stream.of("pulling_image", "recreating")
                .flatMap(stage -> Stream.of(false, true).map(cliDiesToo -> Arguments.of(cli, stage, cliDiesToo))));
    }

    @ParameterizedTest(name = "{0}, killed during {1}, compose CLI killed too: {2}")
    @MethodSource("cases")
    void anUpdateKilledHalfwayIsRepairedOnStartUp(String cli, String stage, boolean cliDiesToo, @TempDir Path tmp)
            throws Exception {
        requireEngine();
        dir = tmp;
        compose = new ArrayList<>(List.of(cli.split(" ")));
        require(cli, composeCommand("version"));
        String repository = LOCAL;
        String target = "1.1.0"; // local already: the pull is quick, the recreate is what takes time
        if (stage.equals("pulling_image")) {
            // 2.1.0 is only in the registry, and reached through the proxy it is slow to pull.
            proxy = new PullSlowingProxy(5000, Duration.ofSeconds(3)); // a pull through it stays in progress for minutes
            repository = "127.0.0.1:" + proxy.port() + "/docksmith/demo";
            assertEquals(0, run("docker", "tag", LOCAL + ":1.0.0", repository + ":1.0.0").exit());
            images.addAll(List.of(repository + ":1.0.0", repository + ":2.1.0"));
            target = "2.1.0";
        }
        Path file = dir.resolve("docker-compose.yml");
        String original = COMPOSE_FILE.formatted(repository);
        Files.writeString(file, original);
        String project = "crashit" + Long.toString(System.nanoTime(), 36);
        compose.addAll(List.of("-p", project, "-f", file.toString()));
        Result up = composeCommand("up", "-d");
        assertEquals(0, up.exit(), up.output());
        String container = onlyContainer(project, "after up").path("Name").asText().substring(1);

        Path data = dir.resolve("data");
        int port = freePort();
        Process first = start(data, port, "first.log");
        awaitHealthy(port, first, dir.resolve("first.log"));
        long t0 = System.nanoTime();
        HttpResponse<String> posted = send(port, "POST", "/api/update",
                JSON.createObjectNode().put("container", container).put("version", target).toString());
        assertEquals(200, posted.statusCode(), posted.body());
        String id = JSON.readTree(posted.body()).path("data").path("operation_id").asText();
        JsonNode before = poll(port, id, op -> stage.equals(op.path("details").path("stage").asText()), 90, first);
        long reached = ms(t0);
        if (stage.equals("recreating")) {
            Thread.sleep(1000); // the old container is now being stopped: well inside the recreate
        }
        // SIGKILL to java itself (started directly, no shell): no shutdown hook, no chance to undo. The
        // compose CLI it ran outlives it (started from a shell) or dies with it (systemd, a container).
        assertTrue(first.info().command().orElse("").endsWith("/java"), first.info().toString());
        orphans.addAll(first.descendants().toList());
        first.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        if (cliDiesToo) {
            for (ProcessHandle o : orphans) {
                o.destroyForcibly();
                o.onExit().get(10, TimeUnit.SECONDS);
            }
        }
        long killed = ms(t0);

        Process second = start(data, port, "second.log");
        awaitHealthy(port, second, dir.resolve("second.log"));
        JsonNode op = poll(port, id, o -> TERMINAL.contains(o.path("status").asText()), 120, second);
        long repaired = ms(t0);
        long strays = orphans.stream().filter(ProcessHandle::isAlive).count();
        // Judge the end state only once what the killed run started has finished too,
        for (ProcessHandle o : orphans) {
            try {
                o.onExit().get(30, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                System.out.println("still running 30 s after the repair, killed: " + o.info());
                o.destroyForcibly();
            }
        }
        // and after stop_grace_period: the engine finishes a stop even when whoever asked for it is gone.
        Thread.sleep(Math.max(0, killed + 8000 - ms(t0)));
        System.out.printf("%s / %s / CLI killed too: %s: stage after %d ms, killed at %d ms, repaired at %d ms, "
                        + "%d stray CLI process(es) alive at repair%n  before: %s%n  after: %s%n",
                cli, stage, cliDiesToo, reached, killed, repaired, strays, before, op);

        String context = op + "\n" + Files.readString(dir.resolve("first.log")) + "\n--- second run ---\n"
                + Files.readString(dir.resolve("second.log"));
        assertEquals("failed", op.path("status").asText(), context);
        assertTrue(op.path("error").asText().startsWith("Docksmith stopped during " + stage), context);
        for (JsonNode o : get(port, "/api/operations").path("data")) {
            assertTrue(TERMINAL.contains(o.path("status").asText()), "left in flight: " + o);
        }

        // The file declares what runs: exactly the original bytes, or (had the new container been
        // kept) exactly those bytes with only the tag edited.
        JsonNode running = onlyContainer(project, context);
        String runs = running.path("Config").path("Image").asText();
        String oldImage = repository + ":1.0.0";
        String expected = runs.equals(oldImage) ? original : original.replace(oldImage, repository + ":" + target);
        assertEquals(expected, new String(Files.readAllBytes(file), StandardCharsets.UTF_8),
                "the compose file, while " + runs + " runs\n" + context);
        assertTrue(running.path("State").path("Running").asBoolean(), running.path("State") + "\n" + context);
        String imageId = run("docker", "image", "inspect", "--format", "{{.Id}}", runs).output().trim();
        assertEquals(imageId, running.path("Image").asText(), "runs the image its name says: " + runs);
    }

    /** The service's one container (none means the service is gone; two, that a renamed copy was left). */
    JsonNode onlyContainer(String project, String context) throws IOException {
        Result ids = run("docker", "ps", "-aq", "--filter", "label=com.docker.compose.project=" + project,
                "--filter", "label=com.docker.compose.service=web");
        List<String> found = ids.output().lines().filter(l -> !l.isBlank()).toList();
        assertEquals(1, found.size(), "containers of " + project + ": " + ids.output() + "\n" + context);
        return JSON.readTree(run("docker", "inspect", found.get(0)).output()).get(0);
    }

    /** Polls the operation every 50 ms until {@code done} holds; fails when it ends otherwise or time runs out. */
    JsonNode poll(int port, String id, Predicate<JsonNode> done, int seconds, Process docksmith) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        JsonNode op = null;
        while (System.nanoTime() < deadline && docksmith.isAlive()) {
            HttpResponse<String> r = send(port, "GET", "/api/operations/" + id);
            assertEquals(200, r.statusCode(), r.body());
            op = JSON.readTree(r.body()).path("data");
            if (done.test(op)) {
                return op;
            }
            if (TERMINAL.contains(op.path("status").asText())) {
                fail("the operation ended before the state awaited: " + op);
            }
            Thread.sleep(50);
        }
        return fail("not reached within " + seconds + " s (Docksmith alive: " + docksmith.isAlive() + "): " + op);
    }

    Process start(Path data, int port, String logName) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(java("-jar", JAR.toString(), "--port", String.valueOf(port),
                "--data", data.toString(), "--check-interval", "0"))
                .redirectErrorStream(true).redirectOutput(dir.resolve(logName).toFile());
        pb.environment().put("DOCKSMITH_HEALTH_GRACE", "2s"); // the health gate is not what this test is about
        Process p = pb.start();
        processes.add(p);
        return p;
    }

    Result composeCommand(String... args) {
        List<String> command = new ArrayList<>(compose);
        command.addAll(List.of(args));
        return run(dir, command);
    }

    static long ms(long since) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - since);
    }

    @AfterEach
    void cleanUp() throws IOException {
        processes.forEach(Process::destroyForcibly);
        orphans.forEach(ProcessHandle::destroyForcibly);
        if (compose != null && dir != null) {
            composeCommand("down", "-t", "0", "--remove-orphans");
        }
        images.forEach(image -> run("docker", "rmi", image));
        if (proxy != null) {
            proxy.close();
        }
    }
}
