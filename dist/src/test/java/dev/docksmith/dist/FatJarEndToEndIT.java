package dev.docksmith.dist;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real fat jar, started as a process with the README's JVM flags, driven over HTTP against the
 * real engine: a broken plugin jar on the class path is reported and does not stop it, and an
 * operation survives a SIGKILL of the process.
 */
class FatJarEndToEndIT {
    static final Path JAR = Path.of("target/docksmith.jar").toAbsolutePath();
    static final ObjectMapper JSON = new ObjectMapper();
    final HttpClient http = HttpClient.newHttpClient();
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
                "--network", "none", "localhost:5000/docksmith/demo:1.0.0").exit);
        HttpResponse<String> stop = send(port, "POST", "/api/containers/" + container + "/stop?timeout=1");
        assertEquals(200, stop.statusCode(), stop.body());
        String operationId = JSON.readTree(stop.body()).path("data").path("operation_id").asText();

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
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions());
        command.addAll(List.of("-cp", JAR + ":" + extraJar, "dev.docksmith.runtime.Main",
                "--port", String.valueOf(port), "--data", data.toString(), "--check-interval", "0"));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve(logName).toFile());
        Process p = pb.start();
        processes.add(p);
        return p;
    }

    static List<String> jvmOptions() throws IOException {
        return Files.readAllLines(Path.of("../scripts/jvm.options")).stream().map(String::trim)
                .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    }

    void awaitHealthy(int port, Process p, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                Assertions.fail("Docksmith exited with " + p.exitValue() + ":\n" + Files.readString(log));
            }
            try {
                if (send(port, "GET", "/api/health").statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        Assertions.fail("no healthy answer within 30 s:\n" + Files.readString(log));
    }

    JsonNode get(int port, String path) throws Exception {
        HttpResponse<String> r = send(port, "GET", path);
        assertEquals(200, r.statusCode(), path + ": " + r.body());
        return JSON.readTree(r.body());
    }

    HttpResponse<String> send(int port, String method, String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(60)).method(method, HttpRequest.BodyPublishers.noBody()).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static void requireEngine() {
        Result r = run("docker", "version", "--format", "{{.Server.APIVersion}}");
        if (r.exit == 0) {
            return;
        }
        String message = "no Docker engine answers (" + r.output.trim() + "); start one with: sudo scripts/test-env.sh up";
        if (Boolean.getBoolean("docksmith.requireDocker")) {
            Assertions.fail("docksmith.requireDocker=true and " + message);
        }
        System.err.println("\n*** SKIPPING END-TO-END TEST: " + message + " ***\n");
        Assumptions.abort(message);
    }

    record Result(int exit, String output) {
    }

    static Result run(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(60, TimeUnit.SECONDS);
            return new Result(p.exitValue(), out);
        } catch (IOException e) {
            return new Result(-1, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        }
    }
}
