package dev.docksmith.strategy.compose;

import dev.docksmith.api.Applied;
import dev.docksmith.api.Change;
import dev.docksmith.api.ContainerInfo;
import dev.docksmith.api.UpdateException;
import dev.docksmith.spi.StageListener;
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
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Updates and undoes on the real engine with both compose CLIs (v2 plugin and v1 {@code docker-compose}):
 * the container moves to the new image under the same name, and the file changes only in the tag.
 */
class ComposeUpdateIT {
    static final String DEMO = "localhost:5000/docksmith/demo";
    /** Comments, quoting and odd spacing that must all survive byte for byte. */
    static final String FILE = """
            # Demo stack: Docksmith must change only the tag below.
            services:
              web:   # the service under test
                image: "%s:%s"   # pinned, quoted on purpose
                network_mode: none
                labels: ['dev.docksmith.test=true']
                command:  ["/bin/sh", "-c", 'trap "exit 0" TERM INT; httpd -f -p 8080 -h /www & wait']
            """;

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
        System.err.println("\n*** SKIPPING INTEGRATION TEST ComposeUpdateIT: " + message + " ***\n");
        Assumptions.abort(message);
    }

    @ParameterizedTest
    @ValueSource(strings = {"v2", "v1"})
    void applyThenUndo(String flavour, @TempDir Path dir) throws IOException {
        Project p = up(flavour, dir, "composeupd");
        try {
            ContainerInfo before = inspect(p.name, "web");
            assertEquals(DEMO + ":1.0.0", before.image());
            List<String> stages = new ArrayList<>();
            StageListener listener = (stage, progress, message) -> stages.add(stage);
            ComposeStrategy strategy = new ComposeStrategy(Map.of());

            Applied applied = strategy.apply(new Change(before, DEMO + ":1.1.0"), listener);

            assertEquals(List.of("updating_compose", "pulling_image", "recreating"), stages);
            assertArrayEquals(bytes("1.1.0"), Files.readAllBytes(p.file), "only the tag's characters change");
            ContainerInfo after = inspect(p.name, "web");
            assertEquals(before.name(), after.name(), "same container name");
            assertEquals(before.name(), applied.containerName());
            assertTrue(!after.id().equals(before.id()), "recreated");
            assertEquals(DEMO + ":1.1.0", after.image());
            assertEquals("running", after.state());
            assertEquals(DEMO + ":1.0.0", applied.previousImage());

            // Through a copy of the map only, as after a restart.
            strategy = new ComposeStrategy(Map.of());
            strategy.undo(new Applied(applied.containerName(), applied.previousImage(), applied.newImage(),
                    new HashMap<>(applied.undo())), StageListener.NONE);

            assertArrayEquals(bytes("1.0.0"), Files.readAllBytes(p.file), "byte-identical to the original");
            ContainerInfo undone = inspect(p.name, "web");
            assertEquals(before.name(), undone.name());
            assertEquals(DEMO + ":1.0.0", undone.image());
            assertEquals("running", undone.state());
        } finally {
            down(p, dir);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"v2", "v1"})
    void failedPullChangesNothing(String flavour, @TempDir Path dir) throws IOException {
        Project p = up(flavour, dir, "composepull");
        try {
            ContainerInfo before = inspect(p.name, "web");
            UpdateException e = assertThrows(UpdateException.class,
                    () -> new ComposeStrategy(Map.of()).apply(new Change(before, DEMO + ":9.9.9"), StageListener.NONE));
            assertTrue(e.getMessage().contains("pull"), e.getMessage());
            assertArrayEquals(bytes("1.0.0"), Files.readAllBytes(p.file), "byte-identical to the original");
            ContainerInfo after = inspect(p.name, "web");
            assertEquals(before.id(), after.id(), "not recreated");
            assertEquals(DEMO + ":1.0.0", after.image());
            assertEquals("running", after.state());
        } finally {
            down(p, dir);
        }
    }

    private static byte[] bytes(String tag) {
        return FILE.formatted(DEMO, tag).getBytes(StandardCharsets.UTF_8);
    }

    private record Project(List<String> cli, String name, Path file) {
        List<String> args(String... tail) {
            return concat(cli, List.of("-p", name, "-f", "compose.yml"), List.of(tail));
        }
    }

    private static Project up(String flavour, Path dir, String prefix) throws IOException {
        List<String> cli = flavour.equals("v2") ? List.of("docker", "compose") : List.of("docker-compose");
        Result version = run(concat(cli, List.of("version")), dir);
        assertEquals(0, version.exit, "the " + flavour + " compose CLI is needed: " + version.output);
        Path file = dir.resolve("compose.yml");
        Files.write(file, bytes("1.0.0"));
        Project p = new Project(cli, prefix + flavour + Long.toString(System.nanoTime(), 36), file);
        Result up = run(p.args("up", "-d"), dir);
        assertEquals(0, up.exit, up.output);
        return p;
    }

    private static void down(Project p, Path dir) {
        run(p.args("down", "--timeout", "1"), dir);
        String leftovers = run(List.of("docker", "ps", "-aq", "--filter", "label=com.docker.compose.project=" + p.name), null)
                .output.trim();
        if (!leftovers.isEmpty()) {
            run(concat(List.of("docker", "rm", "-f"), List.of(leftovers.split("\\s+"))), null);
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
        for (List<String> part : parts) {
            all.addAll(part);
        }
        return all;
    }

    private static Result run(List<String> command, Path dir) {
        try {
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
            if (dir != null) {
                pb.directory(dir.toFile());
            }
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
