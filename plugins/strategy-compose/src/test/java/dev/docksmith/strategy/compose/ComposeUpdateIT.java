package dev.docksmith.strategy.compose;

import dev.docksmith.api.Applied;
import dev.docksmith.api.Change;
import dev.docksmith.api.ContainerInfo;
import dev.docksmith.strategy.compose.RealCompose.Result;
import dev.docksmith.api.UpdateException;
import dev.docksmith.spi.StageListener;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.docksmith.strategy.compose.RealCompose.concat;
import static dev.docksmith.strategy.compose.RealCompose.inspect;
import static dev.docksmith.strategy.compose.RealCompose.removeLeftovers;
import static dev.docksmith.strategy.compose.RealCompose.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Updates and undoes on the real engine with both compose CLIs (v2 plugin and v1 {@code docker-compose}):
 * the container moves to the new image under the same name, and the file changes only in the tag.
 */
class ComposeUpdateIT {
    static final String DEMO = RealCompose.DEMO;
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
        RealCompose.requireEngine("ComposeUpdateIT");
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
        assertEquals(0, version.exit(), "the " + flavour + " compose CLI is needed: " + version.output());
        Path file = dir.resolve("compose.yml");
        Files.write(file, bytes("1.0.0"));
        Project p = new Project(cli, prefix + flavour + Long.toString(System.nanoTime(), 36), file);
        Result up = run(p.args("up", "-d"), dir);
        assertEquals(0, up.exit(), up.output());
        return p;
    }

    private static void down(Project p, Path dir) {
        run(p.args("down", "--timeout", "1"), dir);
        removeLeftovers(p.name);
    }
}
