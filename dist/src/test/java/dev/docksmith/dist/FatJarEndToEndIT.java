package dev.docksmith.dist;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

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
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The real fat jar, started as a process with the README's JVM flags, driven over HTTP against the
 * real engine: a broken plugin jar on the class path is reported and does not stop it, and an
 * operation survives a SIGKILL of the process.
 */
class FatJarEndToEndIT {
    final List<Process> processes = new ArrayList<>();
    String container;

    @AfterEach
    void cleanUp() {
        processes.forEach(Process::destroyForcibly);
        if (container != null) {
            run("docker", "rm", "-f", container);
        }
    }

    @Test
    void servesReportsBrokenPluginsAndKeepsOperationsAcrossAKill(@TempDir Path dir) throws Exception {
        requireEngine();
        Path broken = brokenPluginJar(dir);
        Path data = dir.resolve("data");
        int port = freePort();

        Process first = start(dir, broken, data, port, "first.log");
        awaitHealthy(port, first, dir.resolve("first.log"));

        JsonNode config = get(port, "/api/docker-config").path("data");
        assertTrue(config.path("reachable").asBoolean(), config.toString());
        assertTrue(config.path("store").path("persistent").asBoolean(), config.toString());
        assertTrue(config.path("plugins").path("loaded").toString().contains("storage-xodus"), config.toString());
        assertTrue(config.path("plugins").path("failed").toString().contains("com.example.broken.MissingStorePlugin"),
                "the broken plugin is listed with why: " + config.path("plugins"));

        container = "e2e-" + Long.toString(System.nanoTime(), 36);
        assertEquals(0, run("docker", "run", "-d", "--name", container, "--label", "dev.docksmith.test=true",
                "--network", "none", "localhost:5000/docksmith/demo:1.0.0").exit());
        HttpResponse<String> stop;
        try (EventFeed feed = new EventFeed(port)) {
            stop = send(port, "POST", "/api/containers/" + container + "/stop?timeout=1");
            assertEquals(200, stop.statusCode(), stop.body());
            // what a browser sees on GET /api/events, from the real engine's event stream
            feed.await(e -> "container.stopped".equals(e.path("type").asText()) && e.toString().contains(container), 20,
                    () -> "no container.stopped event for " + container + " on /api/events");
        }
        String operationId = JSON.readTree(stop.body()).path("data").path("operation_id").asText();
        HttpResponse<String> unknown = EndToEnd.send(port, "POST", "/api/containers/no-such-" + container + "/stop", null,
                "X-Request-Id", "e2e-" + container);
        assertEquals(404, unknown.statusCode(), unknown.body());
        assertEquals("e2e-" + container, unknown.headers().firstValue("X-Request-Id").orElse(""));
        // The access line is written after the reply: wait for it before the kill below.
        awaitLogLine(dir.resolve("first.log"), "/stop 404", "id=e2e-" + container);

        first.destroyForcibly().waitFor(10, TimeUnit.SECONDS); // SIGKILL: no shutdown hook, no clean close

        Process second = start(dir, broken, data, port, "second.log");
        awaitHealthy(port, second, dir.resolve("second.log"));
        JsonNode op = get(port, "/api/operations/" + operationId).path("data");
        assertEquals("stop", op.path("operation_type").asText());
        assertEquals("complete", op.path("status").asText());
        assertEquals(container, op.path("container_name").asText());

        second.destroy(); // SIGTERM: the shutdown hook closes the store and the server
        assertTrue(second.waitFor(15, TimeUnit.SECONDS), "stops on SIGTERM");
        String log = Files.readString(dir.resolve("second.log"));
        assertTrue(log.contains("Docksmith stopped"), log);
    }

    /** Waits up to 10 s for a log line that contains every one of {@code parts}. */
    static void awaitLogLine(Path log, String... parts) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            String text = Files.readString(log);
            if (text.lines().anyMatch(line -> Arrays.stream(parts).allMatch(line::contains))) {
                return;
            }
            if (System.nanoTime() > deadline) {
                fail("no log line with " + List.of(parts) + " (each request is logged with its request id):\n" + text);
            }
            Thread.sleep(50);
        }
    }

    @Test
    void aBadSettingStopsStartUpWithExitCode2AndNamesIt(@TempDir Path dir) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(java("-jar", JAR.toString(), "--port", "abc", "--data",
                dir.resolve("data").toString())).redirectErrorStream(true);
        Process p = pb.start();
        processes.add(p);
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "exits");
        assertEquals(2, p.exitValue(), output);
        assertTrue(output.contains("'abc' is not a port number"), output);
        assertTrue(!Files.exists(dir.resolve("data")), "nothing was created: " + output);
    }

    static Path brokenPluginJar(Path dir) throws IOException {
        Path jar = dir.resolve("broken-plugin.jar");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out)) {
            j.putNextEntry(new JarEntry("META-INF/services/dev.docksmith.spi.StorePlugin"));
            j.write("com.example.broken.MissingStorePlugin\n".getBytes(StandardCharsets.UTF_8));
            j.closeEntry();
        }
        return jar;
    }

    Process start(Path dir, Path extraJar, Path data, int port, String logName) throws IOException {
        List<String> command = java("-cp", JAR + ":" + extraJar, "dev.docksmith.runtime.Main",
                "--port", String.valueOf(port), "--data", data.toString(), "--check-interval", "0");
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve(logName).toFile());
        Process p = pb.start();
        processes.add(p);
        return p;
    }
}
