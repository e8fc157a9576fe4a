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
import org.junit.jupiter.params.provider.CsvSource;
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
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Updates, label changes, undoes and crash recoveries on the real engine with both compose CLIs (v2
 * plugin and v1 {@code docker-compose}): the container moves to the new image or labels under the same
 * name, and the file changes only where it must.
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

    /** Labels as a mapping, with comments and quoting to keep. */
    static final String MAP_LABELS = """
            services:
              web:
                image: "%s:1.0.0"
                network_mode: none
                labels:
                  dev.docksmith.test: "true"   # quoted: compose wants strings
                  com.example.note: kept
                command:  ["/bin/sh", "-c", 'trap "exit 0" TERM INT; httpd -f -p 8080 -h /www & wait']
            """;
    static final String MAP_LABELS_AFTER = """
            services:
              web:
                image: "%s:1.0.0"
                network_mode: none
                labels:
                  dev.docksmith.test: "true"   # quoted: compose wants strings
                  com.example.reason: "a: b # c $$HOME"
                  docksmith.ignore: "true"
                command:  ["/bin/sh", "-c", 'trap "exit 0" TERM INT; httpd -f -p 8080 -h /www & wait']
            """;
    /** Labels as a list of key=value. */
    static final String LIST_LABELS = """
            services:
              web:
                image: "%s:1.0.0"
                network_mode: none
                labels:
                  - dev.docksmith.test=true   # the test's own
                  - com.example.note=kept
                command:  ["/bin/sh", "-c", 'trap "exit 0" TERM INT; httpd -f -p 8080 -h /www & wait']
            """;
    static final String LIST_LABELS_AFTER = """
            services:
              web:
                image: "%s:1.0.0"
                network_mode: none
                labels:
                  - dev.docksmith.test=true   # the test's own
                  - "com.example.reason=a: b # c $$HOME"
                  - docksmith.ignore=true
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

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"v2, map", "v1, map", "v2, list", "v1, list"})
    void labelsSetAndRemovedThenUndone(String flavour, String style, @TempDir Path dir) throws IOException {
        String original = (style.equals("map") ? MAP_LABELS : LIST_LABELS).formatted(DEMO);
        String edited = (style.equals("map") ? MAP_LABELS_AFTER : LIST_LABELS_AFTER).formatted(DEMO);
        Project p = up(flavour, dir, "composelbl", original.getBytes(StandardCharsets.UTF_8));
        try {
            ContainerInfo before = inspect(p.name, "web");
            assertEquals("kept", before.labels().get("com.example.note"));
            List<String> stages = new ArrayList<>();
            ComposeStrategy strategy = new ComposeStrategy(Map.of());
            Change change = new Change(before, before.image(),
                    Map.of("docksmith.ignore", "true", "com.example.reason", "a: b # c $HOME"), List.of("com.example.note"));

            Applied applied = strategy.apply(change, (stage, progress, message) -> stages.add(stage));

            assertEquals(List.of("updating_compose", "recreating"), stages, "a label-only change pulls nothing");
            assertEquals(edited, Files.readString(p.file));
            ContainerInfo after = inspect(p.name, "web");
            assertEquals(before.name(), after.name());
            assertNotEquals(before.id(), after.id(), "recreated");
            assertEquals(DEMO + ":1.0.0", after.image());
            assertEquals("true", after.labels().get("docksmith.ignore"));
            assertEquals("a: b # c $HOME", after.labels().get("com.example.reason"), "compose read the value as written");
            assertEquals("true", after.labels().get("dev.docksmith.test"));
            assertFalse(after.labels().containsKey("com.example.note"));

            strategy.undo(applied, StageListener.NONE);

            assertArrayEquals(original.getBytes(StandardCharsets.UTF_8), Files.readAllBytes(p.file), "byte-identical");
            ContainerInfo undone = inspect(p.name, "web");
            assertEquals("kept", undone.labels().get("com.example.note"));
            assertFalse(undone.labels().containsKey("docksmith.ignore"));
            assertFalse(undone.labels().containsKey("com.example.reason"));
            assertEquals("running", undone.state());
        } finally {
            down(p, dir);
        }
    }

    /** Thrown by a stage listener to stop an apply where a crash would. */
    private static final class Crash extends RuntimeException {
    }

    @ParameterizedTest
    @ValueSource(strings = {"v2", "v1"})
    void recoverAfterACrashPutsBackTheFileAndTheOldContainer(String flavour, @TempDir Path dir) throws IOException {
        Project p = up(flavour, dir, "composerec");
        try {
            ContainerInfo before = inspect(p.name, "web");
            Change change = new Change(before, DEMO + ":1.1.0");

            // Crash just after the file was edited: the file goes back, the running container is left alone.
            Applied plan = new ComposeStrategy(Map.of()).plan(change);
            assertThrows(Crash.class, () -> new ComposeStrategy(Map.of()).apply(change, plan, (stage, progress, message) -> {
                if (stage.equals("pulling_image")) {
                    throw new Crash();
                }
            }));
            assertArrayEquals(bytes("1.1.0"), Files.readAllBytes(p.file), "the crash left the edit");
            String said = new ComposeStrategy(Map.of()).recover(plan);
            assertArrayEquals(bytes("1.0.0"), Files.readAllBytes(p.file), "byte-identical to the original");
            assertEquals(before.id(), inspect(p.name, "web").id(), said);
            assertTrue(said.contains("was restored") && said.contains("left alone"), said);

            // Crash after the recreate, before the health gate: the old image comes back too.
            Applied second = new ComposeStrategy(Map.of()).plan(change);
            new ComposeStrategy(Map.of()).apply(change, second, StageListener.NONE);
            assertEquals(DEMO + ":1.1.0", inspect(p.name, "web").image());
            said = new ComposeStrategy(Map.of()).recover(second);
            assertArrayEquals(bytes("1.0.0"), Files.readAllBytes(p.file), "byte-identical to the original");
            ContainerInfo recovered = inspect(p.name, "web");
            assertEquals(before.name(), recovered.name());
            assertEquals(DEMO + ":1.0.0", recovered.image());
            assertEquals(before.imageId(), recovered.imageId());
            assertEquals("running", recovered.state());
            assertTrue(said.contains("was restored") && said.contains("recreated on " + DEMO + ":1.0.0"), said);

            // Once more: nothing left to do.
            said = new ComposeStrategy(Map.of()).recover(second);
            assertEquals(recovered.id(), inspect(p.name, "web").id(), said);
            assertTrue(said.contains("already held the previous content") && said.contains("left alone"), said);
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
        return up(flavour, dir, prefix, bytes("1.0.0"));
    }

    private static Project up(String flavour, Path dir, String prefix, byte[] content) throws IOException {
        List<String> cli = flavour.equals("v2") ? List.of("docker", "compose") : List.of("docker-compose");
        Result version = run(concat(cli, List.of("version")), dir);
        assertEquals(0, version.exit(), "the " + flavour + " compose CLI is needed: " + version.output());
        Path file = dir.resolve("compose.yml");
        Files.write(file, content);
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
