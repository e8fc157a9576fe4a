package dev.docksmith.strategy.compose;

import dev.docksmith.api.ContainerInfo;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Projects brought up by the real compose CLIs (v2 plugin and v1 {@code docker-compose}): the labels
 * they write must lead the strategy to the same image compose itself chose.
 */
class ComposeReadIT {
    static final String DEMO = "localhost:5000/docksmith/demo";

    @BeforeAll
    static void requireEngine() {
        Result r = run(List.of("docker", "version", "--format", "{{.Server.APIVersion}}"), null);
        if (r.exit == 0) {
            return;
        }
        String message = "no Docker engine answers (" + r.output.trim() + "); start one with: sudo scripts/test-env.sh up";
        if (Boolean.getBoolean("docksmith.requireDocker")) {
            Assertions.fail("docksmith.requireDocker=true and " + message);
        }
        System.err.println("\n*** SKIPPING INTEGRATION TEST ComposeReadIT: " + message + " ***\n");
        Assumptions.abort(message);
    }

    @ParameterizedTest
    @ValueSource(strings = {"v2", "v1"})
    void declaredImageMatchesWhatComposeRan(String flavour, @TempDir Path dir) throws IOException {
        List<String> cli = flavour.equals("v2") ? List.of("docker", "compose") : List.of("docker-compose");
        Result version = run(concat(cli, List.of("version")), dir);
        assertEquals(0, version.exit, "the " + flavour + " compose CLI is needed: " + version.output);

        Files.writeString(dir.resolve("compose.yml"), """
                services:
                  web:
                    image: %1$s:${DEMO_TAG:-1.0.0}
                    network_mode: none
                    labels: [dev.docksmith.test=true]
                  worker:
                    image: %1$s:1.0.0
                    network_mode: none
                    labels: [dev.docksmith.test=true]
                """.formatted(DEMO));
        Files.writeString(dir.resolve("override.yml"), """
                services:
                  worker:
                    image: "%s:${WORKER_TAG:-2.0.0}"   # the later -f file wins
                """.formatted(DEMO));
        Files.writeString(dir.resolve(".env"), "# chosen by the test\nDEMO_TAG=1.1.0\n");
        String project = "composeread" + flavour + Long.toString(System.nanoTime(), 36);
        // Relative -f paths, run from the project dir: v1 records them as given, v2 makes them absolute.
        List<String> files = List.of("-p", project, "-f", "compose.yml", "-f", "override.yml");
        try {
            Result up = run(concat(cli, files, List.of("up", "-d")), dir);
            assertEquals(0, up.exit, up.output);

            ComposeStrategy strategy = new ComposeStrategy(Map.of());
            ContainerInfo web = inspect(project, "web");
            ContainerInfo worker = inspect(project, "worker");
            String configFiles = web.labels().get(ContainerInfo.COMPOSE_CONFIG_FILES);
            if (flavour.equals("v1")) {
                assertEquals("compose.yml,override.yml", configFiles, "v1 writes -f as given");
            } else {
                assertTrue(configFiles.startsWith("/"), "v2 writes absolute paths: " + configFiles);
            }
            assertTrue(strategy.supports(web));
            assertEquals(Optional.of(DEMO + ":1.1.0"), strategy.declaredImage(web), "DEMO_TAG from .env");
            assertEquals(Optional.of(DEMO + ":2.0.0"), strategy.declaredImage(worker), "override.yml's default");
            // The real check: compose itself resolved the same references.
            assertEquals(web.image(), strategy.declaredImage(web).orElseThrow());
            assertEquals(worker.image(), strategy.declaredImage(worker).orElseThrow());
            assertEquals(dir.resolve("override.yml").toRealPath(),
                    strategy.service(worker).source().file().toRealPath());
        } finally {
            run(concat(cli, files, List.of("down", "--timeout", "1")), dir);
            String leftovers = run(List.of("docker", "ps", "-aq", "--filter", "label=com.docker.compose.project=" + project), null).output.trim();
            if (!leftovers.isEmpty()) {
                run(concat(List.of("docker", "rm", "-f"), List.of(leftovers.split("\\s+"))), null);
            }
        }
    }

    /** Builds the container as discovery would, from {@code docker inspect}. */
    private static ContainerInfo inspect(String project, String service) {
        String id = run(List.of("docker", "ps", "-aq", "--no-trunc", "--filter", "label=com.docker.compose.project=" + project,
                "--filter", "label=com.docker.compose.service=" + service), null).output.trim();
        assertTrue(id.matches("[0-9a-f]{64}"), "one container for " + service + ": " + id);
        Result r = run(List.of("docker", "inspect", "--format",
                "{{.Name}}\n{{.Config.Image}}\n{{.Image}}\n{{.State.Status}}\n"
                        + "{{range $k, $v := .Config.Labels}}{{$k}}={{$v}}\n{{end}}", id), null);
        assertEquals(0, r.exit, r.output);
        String[] lines = r.output.split("\n");
        Map<String, String> labels = new HashMap<>();
        for (int i = 4; i < lines.length; i++) {
            int eq = lines[i].indexOf('=');
            if (eq > 0) {
                labels.put(lines[i].substring(0, eq), lines[i].substring(eq + 1));
            }
        }
        return new ContainerInfo(id, lines[0].substring(1), lines[1], lines[2], lines[3], labels, Instant.now());
    }

    @SafeVarargs
    private static List<String> concat(List<String>... parts) {
        List<String> all = new ArrayList<>();
        for (List<String> p : parts) {
            all.addAll(p);
        }
        return all;
    }

    private static Result run(List<String> command, Path dir) {
        try {
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
            if (dir != null) {
                pb.directory(dir.toFile());
            }
            // The variables must come from .env and defaults, not from whoever runs the build.
            pb.environment().remove("DEMO_TAG");
            pb.environment().remove("WORKER_TAG");
            Process p = pb.start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, "timed out: " + String.join(" ", command));
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new Result(-1, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        }
    }

    private record Result(int exit, String output) {
    }
}
