package dev.docksmith.strategy.compose;

import dev.docksmith.api.Applied;
import dev.docksmith.api.Change;
import dev.docksmith.api.ContainerInfo;
import dev.docksmith.api.UpdateException;
import dev.docksmith.spi.StageListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The update's failure paths, with a scripted CLI instead of a real one. */
class ComposeUpdaterTest {
    static final String ORIGINAL = "services:\n  web:\n    image: 'demo:1.0.0'  # keep\n";

    @TempDir
    Path dir;

    /** Answers each command with the next exit code, and remembers the commands. */
    static final class ScriptedCli extends ComposeCli {
        final List<String> commands = new ArrayList<>();
        final List<Integer> exits;

        ScriptedCli(Integer... exits) {
            this.exits = new ArrayList<>(List.of(exits));
        }

        @Override
        List<String> commandFor(ContainerInfo container) {
            return V2;
        }

        @Override
        Result run(List<String> command, Path workingDir, Duration timeout) {
            commands.add(String.join(" ", command));
            return new Result(exits.remove(0), "scripted output", Duration.ZERO);
        }
    }

    private Path file() throws IOException {
        return Files.writeString(dir.resolve("compose.yml"), ORIGINAL);
    }

    private Change change(Path file, String image) {
        return new Change(Containers.compose("proj", "web", dir.toString(), file.toString()), image);
    }

    private ComposeService service(ContainerInfo c) {
        return new ComposeStrategy(Map.of()).service(c);
    }

    @Test
    void failedPullRestoresTheFileAndDoesNotRecreate() throws IOException {
        Path f = file();
        ScriptedCli cli = new ScriptedCli(1);
        Change ch = change(f, "demo:1.1.0");
        UpdateException e = assertThrows(UpdateException.class,
                () -> new ComposeUpdater(cli).apply(ch, service(ch.container()), StageListener.NONE));
        assertTrue(e.getMessage().contains("pulling demo:1.1.0 failed") && e.getMessage().contains("scripted output"), e.getMessage());
        assertEquals(ORIGINAL, Files.readString(f));
        assertEquals(List.of("docker compose -p proj -f " + f + " pull web"), cli.commands);
    }

    @Test
    void failedRecreateRestoresTheFileAndBringsTheOldOneBack() throws IOException {
        Path f = file();
        ScriptedCli cli = new ScriptedCli(0, 1, 0);
        Change ch = change(f, "demo:1.1.0");
        UpdateException e = assertThrows(UpdateException.class,
                () -> new ComposeUpdater(cli).apply(ch, service(ch.container()), StageListener.NONE));
        assertTrue(e.getMessage().contains("recreating failed") && e.getMessage().contains("previous container was recreated"),
                e.getMessage());
        assertEquals(ORIGINAL, Files.readString(f));
        String up = "docker compose -p proj -f " + f + " up -d --no-deps --force-recreate web";
        assertEquals(List.of("docker compose -p proj -f " + f + " pull web", up, up), cli.commands);
    }

    @Test
    void undoWorksFromTheStoredMapAlone() throws IOException {
        Path f = file();
        ScriptedCli cli = new ScriptedCli(0, 0, 0);
        Change ch = change(f, "demo:1.1.0");
        Applied applied = new ComposeUpdater(cli).apply(ch, service(ch.container()), StageListener.NONE);
        assertEquals(ORIGINAL.replace("1.0.0", "1.1.0"), Files.readString(f));
        List<String> stages = new ArrayList<>();
        new ComposeUpdater(cli).undo(new Applied(applied.containerName(), applied.previousImage(), applied.newImage(),
                new HashMap<>(applied.undo())), (s, p, m) -> stages.add(s));
        assertEquals(ORIGINAL, Files.readString(f));
        assertEquals(List.of("updating_compose", "recreating"), stages);
        assertTrue(cli.commands.get(2).endsWith("up -d --no-deps --force-recreate web"), cli.commands.toString());
    }

    @Test
    void aCustomEnvFileIsPassedAndTheDefaultIsNot() throws IOException {
        Path f = file();
        Map<String, String> labels = new HashMap<>(change(f, "x").container().labels());
        labels.put(ComposeLocator.ENV_FILES_LABEL, dir.resolve("prod.env").toString());
        ContainerInfo c = Containers.withLabels("proj-web-1", labels);
        ScriptedCli cli = new ScriptedCli(0, 0);
        new ComposeUpdater(cli).apply(new Change(c, "demo:1.1.0"), service(c), StageListener.NONE);
        assertEquals("docker compose --env-file " + dir.resolve("prod.env") + " -p proj -f " + f + " pull web", cli.commands.get(0));

        labels.put(ComposeLocator.ENV_FILES_LABEL, dir.resolve(".env").toString());
        ContainerInfo d = Containers.withLabels("proj-web-1", labels);
        ScriptedCli cli2 = new ScriptedCli(0, 0);
        new ComposeUpdater(cli2).apply(new Change(d, "demo:1.2.0"), service(d), StageListener.NONE);
        assertEquals("docker compose -p proj -f " + f + " pull web", cli2.commands.get(0));
    }

    @Test
    void anUneditableImageFailsBeforeAnythingRuns() throws IOException {
        Path f = Files.writeString(dir.resolve("compose.yml"), "services:\n  web:\n    build: .\n");
        ScriptedCli cli = new ScriptedCli();
        Change ch = change(f, "demo:1.1.0");
        assertThrows(UpdateException.class,
                () -> new ComposeUpdater(cli).apply(ch, service(ch.container()), StageListener.NONE));
        assertEquals(List.of(), cli.commands);
    }
}
