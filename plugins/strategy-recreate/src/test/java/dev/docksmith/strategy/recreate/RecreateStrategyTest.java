package dev.docksmith.strategy.recreate;

import dev.docksmith.api.Applied;
import dev.docksmith.api.Change;
import dev.docksmith.api.ContainerInfo;
import dev.docksmith.api.DockerException;
import dev.docksmith.api.UpdateException;
import dev.docksmith.spi.DockerEngine;
import dev.docksmith.spi.StageListener;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RecreateStrategyTest {
    /** Records calls; fails the call whose description starts with {@code failOn}. */
    static final class FakeEngine implements DockerEngine {
        final List<String> calls = new ArrayList<>();
        final String inspect;
        String failOn = "";

        FakeEngine() throws IOException {
            try (InputStream in = getClass().getResourceAsStream("/inspect-web.json")) {
                inspect = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        }

        private void call(String c) {
            calls.add(c);
            if (!failOn.isEmpty() && c.startsWith(failOn)) {
                throw new DockerException(500, "boom on " + c);
            }
        }

        public List<ContainerInfo> containers() { return List.of(); }
        public ContainerInfo container(String n) { throw new UnsupportedOperationException(); }
        public void start(String id) { call("start " + id); }
        public void stop(String id, Duration t) { call("stop " + id + " " + t.toSeconds()); }
        public void rename(String id, String n) { call("rename " + id + " " + n); }
        public void remove(String id, boolean f) { call("remove " + id + " " + f); }
        public String inspectJson(String id) { call("inspect " + id); return inspect; }
        public String create(String n, String body) { call("create " + n); return "NEWID"; }
        public void pull(String r) { call("pull " + r); }
    }

    static final String OLD = "3cc3eaafd455d3a8";

    static Change change() throws IOException {
        String id = new FakeEngine().inspect.replaceAll("(?s).*?\"Id\": \"([0-9a-f]+)\".*", "$1");
        return new Change(new ContainerInfo(id, "web", "localhost:5000/docksmith/demo:1.0.0", "sha256:x", "running", Map.of(), null),
                "localhost:5000/docksmith/demo:1.1.0");
    }

    @Test
    void supportsOnlyNonCompose() {
        RecreateStrategy s = new RecreateStrategy();
        assertEquals("strategy-recreate", s.name());
        assertEquals(0, s.priority());
        assertTrue(s.supports(new ContainerInfo("a", "b", "i", "x", "running", Map.of(), null)));
        assertFalse(s.supports(new ContainerInfo("a", "b", "i", "x", "running", Map.of(ContainerInfo.COMPOSE_PROJECT, "p"), null)));
        assertTrue(s.declaredImage(new ContainerInfo("a", "b", "i", "x", "running", Map.of(), null)).isEmpty());
    }

    @Test
    void applyThenUndo() throws IOException {
        FakeEngine e = new FakeEngine();
        Change c = change();
        String id = c.container().id();
        List<String> stages = new ArrayList<>();
        Applied a = new RecreateStrategy(e).apply(c, (s, p, m) -> stages.add(s));
        assertTrue(stages.containsAll(List.of("pulling_image", "recreating")));
        String kept = a.undo().get(RecreateStrategy.KEPT_NAME);
        assertTrue(kept.startsWith("web-docksmith-old-"), kept);
        assertEquals(List.of("pull " + c.newImage(), "inspect " + id, "rename " + id + " " + kept, "stop " + id + " 10",
                "create web", "start NEWID"), e.calls);
        assertEquals("localhost:5000/docksmith/demo:1.0.0", a.previousImage());
        assertEquals(Map.of(RecreateStrategy.OLD_ID, id, RecreateStrategy.OLD_NAME, "web", RecreateStrategy.KEPT_NAME, kept,
                RecreateStrategy.NEW_ID, "NEWID", RecreateStrategy.WAS_RUNNING, "true"), a.undo());

        e.calls.clear();
        new RecreateStrategy(e).undo(a, StageListener.NONE);
        assertEquals(List.of("stop NEWID 10", "remove NEWID true", "rename " + id + " web", "start " + id), e.calls);

        e.calls.clear();
        new RecreateStrategy(e).removeKept(a);
        assertEquals(List.of("remove " + id + " true"), e.calls);
    }

    @Test
    void failedPullChangesNothing() throws IOException {
        FakeEngine e = new FakeEngine();
        e.failOn = "pull";
        UpdateException x = assertThrows(UpdateException.class, () -> new RecreateStrategy(e).apply(change(), null));
        assertTrue(x.getMessage().contains("nothing was changed"), x.getMessage());
        assertEquals(1, e.calls.size());
    }

    @Test
    void failedStartRestoresTheOldContainer() throws IOException {
        FakeEngine e = new FakeEngine();
        e.failOn = "start NEWID";
        Change c = change();
        String id = c.container().id();
        UpdateException x = assertThrows(UpdateException.class, () -> new RecreateStrategy(e).apply(c, null));
        assertTrue(x.getMessage().contains("starting the new container failed"), x.getMessage());
        assertTrue(x.getMessage().contains("the old container was restored"), x.getMessage());
        assertEquals(List.of("remove NEWID true", "rename " + id + " web", "start " + id),
                e.calls.subList(e.calls.size() - 3, e.calls.size()));
    }

    @Test
    void failedCreateRestoresWithoutRemoving() throws IOException {
        FakeEngine e = new FakeEngine();
        e.failOn = "create";
        Change c = change();
        UpdateException x = assertThrows(UpdateException.class, () -> new RecreateStrategy(e).apply(c, null));
        assertTrue(x.getMessage().contains("creating the new container"), x.getMessage());
        assertFalse(e.calls.stream().anyMatch(s -> s.startsWith("remove")));
        assertEquals("rename " + c.container().id() + " web", e.calls.get(e.calls.size() - 2));
    }
}
