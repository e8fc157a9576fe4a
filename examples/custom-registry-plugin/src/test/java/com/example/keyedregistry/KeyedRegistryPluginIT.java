package com.example.keyedregistry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The example as a user runs it: the real fat jar started as a process with this module's jar alone
 * in its plugins directory, checking a container whose image lives behind a registry that demands
 * the key header. Needs the test environment (scripts/test-env.sh up): an engine, and the registry
 * on 127.0.0.1:5000 with docksmith/demo 1.0.0 (local) up to 2.1.0.
 */
class KeyedRegistryPluginIT {
    private static final URI REGISTRY = URI.create("http://127.0.0.1:5000");
    private static final String DEMO = "localhost:5000/docksmith/demo:1.0.0";
    private static final String KEY = "it-key-" + Long.toString(System.nanoTime(), 36);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final List<Process> processes = new ArrayList<>();
    private KeyCheckingProxy proxy;
    private String image;
    private String container;

    @AfterEach
    void cleanUp() {
        processes.forEach(Process::destroyForcibly);
        if (container != null) {
            docker("rm", "-f", container);
        }
        if (image != null) {
            docker("rmi", image); // only removes this tag: the image keeps its localhost:5000 name
        }
        if (proxy != null) {
            proxy.close();
        }
    }

    @Test
    void aContainerBehindTheKeyedRegistryIsCheckedThroughThePluginJar(@TempDir Path dir) throws Exception {
        requireTestEnvironment();
        Path fatJar = Path.of(System.getProperty("docksmith.fatJar")).normalize();
        Path pluginJar = Path.of(System.getProperty("example.pluginJar"));
        assertTrue(Files.isRegularFile(fatJar), "build Docksmith first (mvn -o install -DskipTests): no " + fatJar);

        proxy = KeyCheckingProxy.start(REGISTRY, KEY);
        image = proxy.authority() + "/docksmith/demo:1.0.0";
        assertEquals(0, docker("tag", DEMO, image).exit(), "tagging " + image);
        container = "keyed-" + Long.toString(System.nanoTime(), 36);
        Result run = docker("run", "-d", "--name", container, "--label", "dev.docksmith.test=true", "--network", "none", image);
        assertEquals(0, run.exit(), run.output());

        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        Path installed = Files.copy(pluginJar, plugins.resolve(pluginJar.getFileName()));

        // With the jar and the right key: the plugin answers, through the proxy, with the key.
        int port = start(fatJar, dir.resolve("with-plugin"), plugins, KEY);
        JsonNode loaded = get(port, "/api/docker-config").path("plugins").path("loaded");
        JsonNode plugin = find(loaded, "keyed-registry");
        assertEquals("RegistryPlugin", plugin.path("spi").asText(), plugin.toString());
        assertEquals(KeyedRegistryPlugin.class.getName(), plugin.path("class").asText(), plugin.toString());
        assertEquals(installed.toString(), plugin.path("jar").asText(), plugin.toString());
        assertEquals(System.getProperty("example.version"), plugin.path("version").asText(), "from the jar's manifest: " + plugin);
        assertEquals(1, plugin.path("api_version").asInt(), plugin.toString());

        JsonNode result = get(port, "/api/container/" + container + "/recheck");
        assertEquals("UPDATE_AVAILABLE", result.path("status").asText(), result.toString());
        assertEquals("2.1.0", result.path("latest_version").asText(), result.toString());
        assertTrue(proxy.forwarded().stream().anyMatch(r -> r.startsWith("GET /v2/docksmith/demo/tags/list")), proxy.forwarded().toString());
        assertEquals(List.of(), proxy.refused(), "every request carried the key");
        stopAll();

        // Without the jar, the generic v2 plugin takes the registry and is refused.
        Path empty = Files.createDirectories(dir.resolve("no-plugins"));
        int without = start(fatJar, dir.resolve("without-plugin"), empty, KEY);
        assertTrue(get(without, "/api/docker-config").path("plugins").path("loaded").toString().contains("registry-v2"));
        assertFalse(get(without, "/api/docker-config").path("plugins").path("loaded").toString().contains("keyed-registry"));
        JsonNode refused = get(without, "/api/container/" + container + "/recheck");
        assertEquals("ERROR", refused.path("status").asText(), refused.toString());
        assertFalse(proxy.refused().isEmpty(), "the v2 plugin asked without the key");
        stopAll();

        // With the jar but a wrong key, the plugin's own error says what is wrong.
        int wrongKey = start(fatJar, dir.resolve("wrong-key"), plugins, "not-the-key");
        JsonNode wrong = get(wrongKey, "/api/container/" + container + "/recheck");
        assertEquals("ERROR", wrong.path("status").asText(), wrong.toString());
        assertTrue(wrong.path("error").asText().contains("X-Registry-Key"), wrong.toString());
    }

    private void stopAll() throws InterruptedException {
        for (Process p : processes) {
            p.destroy();
            p.waitFor(15, TimeUnit.SECONDS);
        }
    }

    private static JsonNode find(JsonNode plugins, String name) {
        return StreamSupport.stream(plugins.spliterator(), false).filter(p -> p.path("name").asText().equals(name)).findFirst()
                .orElseGet(() -> Assertions.fail(name + " is not among the loaded plugins: " + plugins));
    }

    /** Starts the fat jar in {@code home} with the README's JVM flags; returns its port once healthy. */
    private int start(Path fatJar, Path home, Path plugins, String key) throws Exception {
        Files.createDirectories(home);
        int port = freePort();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions());
        command.addAll(List.of("-jar", fatJar.toString(), "--port", String.valueOf(port), "--data", home.resolve("data").toString(),
                "--check-interval", "0", "--plugins-dir", plugins.toString()));
        ProcessBuilder pb = new ProcessBuilder(command).directory(home.toFile()).redirectErrorStream(true)
                .redirectOutput(home.resolve("docksmith.log").toFile());
        Map<String, String> env = pb.environment();
        env.put(KeyedRegistryPlugin.HOST_SETTING, proxy.authority());
        env.put(KeyedRegistryPlugin.KEY_SETTING, key);
        Process p = pb.start();
        processes.add(p);
        awaitHealthy(port, p, home.resolve("docksmith.log"));
        return port;
    }

    private static List<String> jvmOptions() throws IOException {
        return Files.readAllLines(Path.of(System.getProperty("docksmith.jvmOptions"))).stream().map(String::trim)
                .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    }

    private static void awaitHealthy(int port, Process p, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                Assertions.fail("Docksmith exited with " + p.exitValue() + ":\n" + Files.readString(log));
            }
            try {
                if (send(port, "/api/health").statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        Assertions.fail("Docksmith did not answer within 30 s:\n" + Files.readString(log));
    }

    /** The {@code data} of a 200 answer. */
    private static JsonNode get(int port, String path) throws Exception {
        HttpResponse<String> r = send(port, path);
        assertEquals(200, r.statusCode(), path + ": " + r.body());
        return JSON.readTree(r.body()).path("data");
    }

    private static HttpResponse<String> send(int port, String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(60)).build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Skips loudly without an engine or the test registry, or fails under {@code -Ddocksmith.requireDocker=true}. */
    private static void requireTestEnvironment() {
        String missing = null;
        Result engine = docker("version", "--format", "{{.Server.APIVersion}}");
        if (engine.exit() != 0) {
            missing = "no Docker engine answers (" + engine.output().trim() + ")";
        } else if (docker("image", "inspect", DEMO).exit() != 0) {
            missing = "no local image " + DEMO;
        } else {
            try {
                String tags = HTTP.send(HttpRequest.newBuilder(REGISTRY.resolve("/v2/docksmith/demo/tags/list")).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                if (!tags.contains("\"2.1.0\"")) {
                    missing = "the registry at " + REGISTRY + " has no docksmith/demo:2.1.0 (" + tags + ")";
                }
            } catch (IOException | InterruptedException e) {
                missing = "no registry answers at " + REGISTRY + " (" + e + ")";
            }
        }
        if (missing == null) {
            return;
        }
        String message = missing + "; start the test environment with: sudo scripts/test-env.sh up";
        if (Boolean.getBoolean("docksmith.requireDocker")) {
            Assertions.fail("docksmith.requireDocker=true and " + message);
        }
        System.err.println("\n*** SKIPPING KeyedRegistryPluginIT: " + message + " ***\n");
        Assumptions.abort(message);
    }

    private record Result(int exit, String output) {
    }

    private static Result docker(String... args) {
        List<String> command = new ArrayList<>(List.of("docker"));
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, out + " (timed out)");
            }
            return new Result(p.exitValue(), out);
        } catch (IOException e) {
            return new Result(-1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        }
    }
}
