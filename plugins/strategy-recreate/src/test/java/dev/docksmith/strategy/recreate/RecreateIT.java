package dev.docksmith.strategy.recreate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.docksmith.api.Applied;
import dev.docksmith.api.Change;
import dev.docksmith.api.NotFoundException;
import dev.docksmith.api.UpdateException;
import dev.docksmith.spi.StageListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Recreate, undo and a failed pull against the real engine, through a curl-based facade. */
class RecreateIT {
    static final String DEMO = "localhost:5000/docksmith/demo";
    static final ObjectMapper JSON = new ObjectMapper();
    static final String CMD = "trap \"exit 0\" TERM INT; echo started >> /data/log; httpd -f -p 8080 -h /www & wait";

    final String suffix = Long.toString(System.nanoTime(), 36);
    final String name = "dsm-recreate-it-" + suffix;
    final String volume = "dsm-recreate-vol-" + suffix;
    final String network = "dsm-recreate-net-" + suffix;
    boolean networkCreated;
    final CurlEngine engine = new CurlEngine();

    @BeforeAll
    static void requireEngine() {
        Result r = run("docker", "version", "--format", "{{.Server.APIVersion}}");
        Result sock = r.exit == 0 ? run("curl", "-sS", "--unix-socket", CurlEngine.SOCKET, "http://localhost/_ping") : r;
        if (r.exit == 0 && sock.exit == 0) {
            return;
        }
        String message = "no Docker engine answers (" + r.output.trim() + " " + sock.output.trim()
                + "); start one with: sudo scripts/test-env.sh up";
        if (Boolean.getBoolean("docksmith.requireDocker")) {
            Assertions.fail("docksmith.requireDocker=true and " + message);
        }
        System.err.println("\n*** SKIPPING INTEGRATION TEST RecreateIT: " + message + " ***\n");
        Assumptions.abort(message);
    }

    @AfterEach
    void cleanUp() {
        Result kept = run("docker", "ps", "-aq", "--filter", "name=^" + name);
        for (String id : kept.output.trim().split("\\s+")) {
            if (!id.isBlank()) {
                run("docker", "rm", "-f", id);
            }
        }
        run("docker", "volume", "rm", volume);
        if (networkCreated) {
            run("docker", "network", "rm", network);
        }
    }

    JsonNode inspect(String nameOrId) throws IOException {
        return JSON.readTree(engine.inspectJson(nameOrId));
    }

    @Test
    void recreateUndoAndFailedPull() throws IOException {
        Result net = run("docker", "network", "create", "--internal", network);
        networkCreated = net.exit == 0;
        if (!networkCreated) {
            System.err.println("\n*** RecreateIT: cannot create an --internal user network (" + net.output.trim()
                    + "); NETWORK ALIASES ARE NOT TESTED, using --network none ***\n");
        }
        assertEquals(0, run("docker", "volume", "create", volume).exit);
        List<String> runCmd = new ArrayList<>(List.of("docker", "run", "-d", "--name", name,
                "-e", "FOO=bar", "-e", "SPACED=a b", "-l", "team=core", "-l", "dev.docksmith.test=true",
                "-v", volume + ":/data", "--restart", "unless-stopped", "--memory", "64m"));
        runCmd.addAll(networkCreated ? List.of("--network", network, "--network-alias", "web") : List.of("--network", "none"));
        runCmd.addAll(List.of(DEMO + ":1.0.0", "/bin/sh", "-c", CMD));
        Result started = run(runCmd.toArray(String[]::new));
        assertEquals(0, started.exit, started.output);
        String oldId = started.output.trim();
        JsonNode before = inspect(name);
        assertTrue(before.path("State").path("Running").asBoolean());

        RecreateStrategy strategy = new RecreateStrategy(engine);
        List<String> stages = new ArrayList<>();
        Applied applied = strategy.apply(new Change(engine.container(name), DEMO + ":1.1.0"), (s, p, m) -> stages.add(s));
        assertTrue(stages.containsAll(List.of("pulling_image", "recreating")), stages.toString());

        // same name, new image, same configuration
        JsonNode after = inspect(name);
        assertNotEquals(oldId, after.path("Id").asText());
        assertEquals(DEMO + ":1.1.0", after.path("Config").path("Image").asText());
        assertTrue(after.path("State").path("Running").asBoolean(), "new container runs");
        for (String field : List.of("Env", "Cmd", "Entrypoint", "WorkingDir")) {
            assertEquals(before.path("Config").path(field), after.path("Config").path(field), field);
        }
        assertEquals("core", after.path("Config").path("Labels").path("team").asText());
        assertEquals("true", after.path("Config").path("Labels").path("dev.docksmith.test").asText());
        for (String field : List.of("Binds", "RestartPolicy", "Memory", "NetworkMode")) {
            assertEquals(before.path("HostConfig").path(field), after.path("HostConfig").path(field), field);
        }
        assertEquals(volume, after.path("Mounts").get(0).path("Name").asText());
        if (networkCreated) {
            JsonNode aliases = after.path("NetworkSettings").path("Networks").path(network).path("Aliases");
            List<String> list = new ArrayList<>();
            aliases.forEach(a -> list.add(a.asText()));
            assertTrue(list.contains("web"), list.toString());
            assertFalse(list.contains(oldId.substring(0, 12)), list.toString());
        }
        // the old one is kept, renamed and stopped
        String kept = applied.undo().get(RecreateStrategy.KEPT_NAME);
        JsonNode keptNode = inspect(kept);
        assertEquals(oldId, keptNode.path("Id").asText());
        assertFalse(keptNode.path("State").path("Running").asBoolean());

        // undo: the original back under its name, running, on 1.0.0; the new one gone
        String newId = applied.undo().get(RecreateStrategy.NEW_ID);
        strategy.undo(applied, StageListener.NONE);
        JsonNode undone = inspect(name);
        assertEquals(oldId, undone.path("Id").asText());
        assertTrue(undone.path("State").path("Running").asBoolean());
        assertEquals(DEMO + ":1.0.0", undone.path("Config").path("Image").asText());
        assertThrows(NotFoundException.class, () -> engine.inspectJson(newId));
        assertThrows(NotFoundException.class, () -> engine.inspectJson(kept));

        // a failed pull changes nothing
        UpdateException failed = assertThrows(UpdateException.class,
                () -> strategy.apply(new Change(engine.container(name), DEMO + ":9.9.9"), StageListener.NONE));
        assertTrue(failed.getMessage().contains("nothing was changed"), failed.getMessage());
        JsonNode unchanged = inspect(name);
        assertEquals(oldId, unchanged.path("Id").asText());
        assertTrue(unchanged.path("State").path("Running").asBoolean());
        assertEquals("", run("docker", "ps", "-aq", "--filter", "name=^" + name + "-docksmith-old-").output.trim());

        // apply again and drop the kept container, as the runtime does after the health gate
        Applied second = strategy.apply(new Change(engine.container(name), DEMO + ":1.1.0"), StageListener.NONE);
        strategy.removeKept(second);
        assertThrows(NotFoundException.class, () -> engine.inspectJson(oldId));
        assertEquals(DEMO + ":1.1.0", inspect(name).path("Config").path("Image").asText());
    }

    record Result(int exit, String output) {
    }

    static Result run(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, "timed out: " + String.join(" ", cmd));
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
