package dev.docksmith.runtime.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.docksmith.runtime.Docksmith;
import dev.docksmith.runtime.config.DocksmithConfig;
import dev.docksmith.runtime.config.Setting;
import dev.docksmith.runtime.store.InMemoryStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.docksmith.runtime.it.RealEngine.docker;
import static dev.docksmith.runtime.it.RealEngine.dockerQuietly;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * COMPOSE_MISMATCH from a real compose project whose .env was edited after it came up, and ERROR for
 * the containers of a registry that died after its image was pulled, while the others are unaffected.
 */
class CheckMismatchAndOutageIT {
    static final String RUN = Long.toString(System.nanoTime(), 36);

    @Test
    void composeMismatchAndADeadRegistry(@TempDir Path dir) throws Exception {
        RealEngine.require();
        String repo = "localhost:5000/docksmith-it/mismatch-" + RUN;
        int deadPort = 5000 + 100 + (int) (System.nanoTime() % 800);
        String deadRepo = "localhost:" + deadPort + "/docksmith-it/dead-" + RUN;
        List<String> cleanup = new ArrayList<>();
        Process registry = null;
        String project = "mismatch" + RUN;
        Path compose = dir.resolve("compose.yml");
        try {
            for (String v : List.of("1.0.0", "2.0.0")) {
                CheckIT.build(dir, repo + ":" + v, v);
                docker("push", repo + ":" + v);
                cleanup.add(repo + ":" + v);
            }
            Files.writeString(compose, """
                    services:
                      app:
                        image: %s:${APP_TAG:-9.9.9}
                        network_mode: none
                    """.formatted(repo));
            Files.writeString(dir.resolve(".env"), "APP_TAG=1.0.0\n");
            RealEngine.Result up = RealEngine.run(List.of("docker", "compose", "-p", project, "-f", compose.toString(), "up", "-d"));
            assertEquals(0, up.exit(), up.output());
            Files.writeString(dir.resolve(".env"), "APP_TAG=2.0.0\n"); // edited, not yet applied

            registry = startRegistry(dir, deadPort);
            CheckIT.build(dir, deadRepo + ":1.0.0", "dead");
            docker("push", deadRepo + ":1.0.0");
            cleanup.add(deadRepo + ":1.0.0");
            String dead = "checkit-dead-" + RUN;
            docker("run", "-d", "--name", dead, "--label", RealEngine.TEST_LABEL, "--network", "none", deadRepo + ":1.0.0");
            String alive = "checkit-alive-" + RUN;
            docker("run", "-d", "--name", alive, "--label", RealEngine.TEST_LABEL, "--network", "none", repo + ":1.0.0");
            registry.destroy();
            registry.waitFor(10, TimeUnit.SECONDS);

            DocksmithConfig config = DocksmithConfig.defaults().with(Setting.PORT, "0").with(Setting.CHECK_INTERVAL, "0");
            try (Docksmith docksmith = Docksmith.builder().config(config).store(new InMemoryStore()).build().start()) {
                ApiClient api = new ApiClient("http://127.0.0.1:" + docksmith.port());
                var reply = api.get("/api/check");
                assertEquals(200, reply.status(), reply.text());
                JsonNode containers = reply.data().path("containers");

                JsonNode mismatch = ContainerApiIT.find(containers, c -> c.path("stack").asText().equals(project));
                assertEquals("COMPOSE_MISMATCH", mismatch.path("status").asText(), mismatch.toString());
                assertEquals(repo + ":2.0.0", mismatch.path("compose_image").asText());
                assertEquals("Running image (" + repo + ":1.0.0) differs from compose specification (" + repo + ":2.0.0)",
                        mismatch.path("error").asText());

                JsonNode deadResult = ContainerApiIT.find(containers, c -> c.path("name").asText().equals(dead));
                assertEquals("ERROR", deadResult.path("status").asText(), deadResult.toString());
                assertTrue(deadResult.path("error").asText().contains("localhost:" + deadPort), deadResult.toString());

                JsonNode aliveResult = ContainerApiIT.find(containers, c -> c.path("name").asText().equals(alive));
                assertEquals("UPDATE_AVAILABLE", aliveResult.path("status").asText(), "a dead registry fails only its own containers");
            } finally {
                dockerQuietly("rm", "-f", dead, alive);
            }
        } finally {
            if (registry != null) {
                registry.destroyForcibly();
            }
            RealEngine.run(List.of("docker", "compose", "-p", project, "-f", compose.toString(), "down", "-t", "1"));
            cleanup.forEach(image -> dockerQuietly("rmi", image));
        }
    }

    /** A second real registry (Debian's docker-registry) on its own port and storage, ours to kill. */
    static Process startRegistry(Path dir, int port) throws Exception {
        Path config = dir.resolve("registry.yml");
        Files.writeString(config, """
                version: 0.1
                storage:
                  filesystem:
                    rootdirectory: %s
                http:
                  addr: 127.0.0.1:%d
                """.formatted(dir.resolve("registry-data"), port));
        Process p = new ProcessBuilder("/usr/bin/docker-registry", "serve", config.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("registry.log").toFile()).start();
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            try {
                var r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v2/")).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return p;
                }
            } catch (java.io.IOException notYet) {
                Thread.sleep(100);
            }
        }
        p.destroyForcibly();
        throw new AssertionError("second registry did not start: " + Files.readString(dir.resolve("registry.log")));
    }
}
