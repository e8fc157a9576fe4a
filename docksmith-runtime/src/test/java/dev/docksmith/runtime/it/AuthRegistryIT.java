package dev.docksmith.runtime.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.docksmith.runtime.Docksmith;
import dev.docksmith.runtime.config.DocksmithConfig;
import dev.docksmith.runtime.config.Setting;
import dev.docksmith.runtime.store.InMemoryStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.docksmith.runtime.it.RealEngine.dockerQuietly;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A second real registry that requires basic auth (htpasswd), whose credentials Docksmith reads from
 * the {@code config.json} that {@code docker login} wrote; without them the container is an ERROR
 * that says why.
 */
class AuthRegistryIT {
    static final String RUN = Long.toString(System.nanoTime(), 36);

    @Test
    void credentialsFromDockerConfigReachAnAuthenticatedRegistry(@TempDir Path dir) throws Exception {
        RealEngine.require();
        int port = 6000 + (int) (System.nanoTime() % 900);
        String repo = "localhost:" + port + "/docksmith-it/private-" + RUN;
        Path dockerConfig = Files.createDirectories(dir.resolve("docker-config"));
        Path emptyConfig = Files.createDirectories(dir.resolve("empty-config"));
        RealEngine.Result hash = RealEngine.run(List.of("htpasswd", "-Bbn", "tester", "s3cret-" + RUN));
        assertEquals(0, hash.exit(), "htpasswd (apache2-utils) is needed: " + hash.output());
        Files.writeString(dir.resolve("htpasswd"), hash.output().trim() + "\n");
        Files.writeString(dir.resolve("registry.yml"), """
                version: 0.1
                storage:
                  filesystem:
                    rootdirectory: %s
                http:
                  addr: 127.0.0.1:%d
                auth:
                  htpasswd:
                    realm: docksmith-test
                    path: %s
                """.formatted(dir.resolve("data"), port, dir.resolve("htpasswd")));
        Process registry = new ProcessBuilder("/usr/bin/docker-registry", "serve", dir.resolve("registry.yml").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("registry.log").toFile()).start();
        List<String> images = new ArrayList<>();
        String container = "checkit-private-" + RUN;
        try {
            awaitRegistry(port, registry, dir);
            withConfig(dockerConfig, "login", "localhost:" + port, "-u", "tester", "-p", "s3cret-" + RUN);
            for (String v : List.of("1.0.0", "2.0.0")) {
                CheckIT.build(dir, repo + ":" + v, "private-" + v);
                withConfig(dockerConfig, "push", repo + ":" + v);
                images.add(repo + ":" + v);
            }
            RealEngine.docker("run", "-d", "--name", container, "--label", RealEngine.TEST_LABEL, "--network", "none", repo + ":1.0.0");

            JsonNode withCredentials = check(dockerConfig, container);
            assertEquals("UPDATE_AVAILABLE", withCredentials.path("status").asText(), withCredentials.toString());
            assertEquals("2.0.0", withCredentials.path("latest_version").asText());

            JsonNode without = check(emptyConfig, container);
            assertEquals("ERROR", without.path("status").asText(), without.toString());
            assertTrue(without.path("error").asText().contains("401"), without.toString());
        } finally {
            dockerQuietly("rm", "-f", container);
            images.forEach(i -> dockerQuietly("rmi", i));
            registry.destroy();
        }
    }

    static JsonNode check(Path dockerConfig, String container) {
        DocksmithConfig config = DocksmithConfig.defaults().with(Setting.PORT, "0").with(Setting.CHECK_INTERVAL, "0")
                .with(Setting.DOCKER_CONFIG, dockerConfig.toString());
        try (Docksmith docksmith = Docksmith.builder().config(config).store(new InMemoryStore()).build().start()) {
            ApiClient api = new ApiClient("http://127.0.0.1:" + docksmith.port());
            var reply = api.get("/api/container/" + container + "/recheck");
            assertEquals(200, reply.status(), reply.text());
            return reply.data();
        }
    }

    static void withConfig(Path dockerConfig, String... args) {
        List<String> command = new ArrayList<>(List.of("env", "DOCKER_CONFIG=" + dockerConfig, "docker"));
        command.addAll(List.of(args));
        RealEngine.Result r = RealEngine.run(command);
        assertEquals(0, r.exit(), String.join(" ", command) + ": " + r.output());
    }

    static void awaitRegistry(int port, Process registry, Path dir) throws Exception {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (System.nanoTime() < deadline) {
            RealEngine.Result r = RealEngine.run(List.of("curl", "-s", "-o", "/dev/null", "-w", "%{http_code}",
                    "http://127.0.0.1:" + port + "/v2/"));
            if (r.output().trim().equals("401")) {
                return;
            }
            if (!registry.isAlive()) {
                break;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("auth registry did not start: " + Files.readString(dir.resolve("registry.log")));
    }
}
