package dev.docksmith.dist;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
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

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What the end-to-end tests share: the real jar started as a process, its HTTP API, and the engine's CLI. */
final class EndToEnd {
    static final Path JAR = Path.of("target/docksmith.jar").toAbsolutePath();
    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private EndToEnd() {
    }

    /** {@code java} itself (no shell in between, so killing the process kills Docksmith) with the README's JVM flags. */
    static List<String> java(String... args) throws IOException {
        return java(Path.of(System.getProperty("java.home")), args);
    }

    /** The same with the {@code java} of another JDK. */
    static List<String> java(Path javaHome, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(javaHome.resolve("bin").resolve("java").toString());
        command.addAll(jvmOptions());
        command.addAll(List.of(args));
        return command;
    }

    static List<String> jvmOptions() throws IOException {
        return Files.readAllLines(Path.of("../scripts/jvm.options")).stream().map(String::trim)
                .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    }

    static void awaitHealthy(int port, Process p, Path log) throws Exception {
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

    static JsonNode get(int port, String path) throws Exception {
        HttpResponse<String> r = send(port, "GET", path);
        assertEquals(200, r.statusCode(), path + ": " + r.body());
        return JSON.readTree(r.body());
    }

    static HttpResponse<String> send(int port, String method, String path) throws IOException, InterruptedException {
        return send(port, method, path, null);
    }

    /** With a JSON body when {@code json} is not null, and any extra headers as name, value pairs. */
    static HttpResponse<String> send(int port, String method, String path, String json, String... headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(60));
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        if (json == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static void requireEngine() {
        require("Docker engine", run("docker", "version", "--format", "{{.Server.APIVersion}}"));
    }

    /** Passes when the command worked; otherwise skips loudly, or fails under {@code -Ddocksmith.requireDocker=true}. */
    static void require(String what, Result r) {
        if (r.exit == 0) {
            return;
        }
        String message = "no " + what + " answers (" + r.output.trim() + "); start one with: sudo scripts/test-env.sh up";
        if (Boolean.getBoolean("docksmith.requireDocker")) {
            Assertions.fail("docksmith.requireDocker=true and " + message);
        }
        System.err.println("\n*** SKIPPING END-TO-END TEST: " + message + " ***\n");
        Assumptions.abort(message);
    }

    record Result(int exit, String output) {
    }

    static Result run(String... command) {
        return run(null, List.of(command));
    }

    /** Runs a command in {@code dir} (null: here), output and errors together, for at most 2 minutes. */
    static Result run(Path dir, List<String> command) {
        try {
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
            if (dir != null) {
                pb.directory(dir.toFile());
            }
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, out + "\n(timed out)");
            }
            return new Result(p.exitValue(), out);
        } catch (IOException e) {
            return new Result(-1, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        }
    }
}
