package dev.docksmith.strategy.recreate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.docksmith.api.Applied;
import dev.docksmith.api.Change;
import dev.docksmith.api.ContainerInfo;
import dev.docksmith.api.DockerException;
import dev.docksmith.api.NotFoundException;
import dev.docksmith.api.UpdateException;
import dev.docksmith.spi.DockerEngine;
import dev.docksmith.spi.StageListener;
import dev.docksmith.spi.UpdateStrategy;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RecreateStrategyTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String IMAGE_OLD = "localhost:5000/docksmith/demo:1.0.0";
    static final String IMAGE_NEW = "localhost:5000/docksmith/demo:1.1.0";
    static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(1_700_000_000L), ZoneOffset.UTC);
    static final String KEPT = "web-docksmith-old-1700000000";

    /**
     * An in-memory engine holding containers as inspect documents, so each step leaves a state the
     * next one (or a recover) sees. Records every call; the call whose description starts with
     * {@code failOn} throws before it has any effect.
     */
    static final class FakeEngine implements DockerEngine {
        final List<String> calls = new ArrayList<>();
        final Map<String, ObjectNode> byId = new LinkedHashMap<>();
        final String oldId;
        String failOn = "";
        String createdBody;

        /** The captured container, named {@code web}, running. */
        FakeEngine() throws IOException {
            try (InputStream in = getClass().getResourceAsStream("/inspect-web.json")) {
                ObjectNode doc = (ObjectNode) JSON.readTree(in);
                doc.put("Name", "/web");
                oldId = doc.path("Id").asText();
                byId.put(oldId, doc);
            }
        }

        private void call(String c) {
            calls.add(c);
            if (!failOn.isEmpty() && c.startsWith(failOn)) {
                throw new DockerException(500, "boom on " + c);
            }
        }

        ObjectNode find(String nameOrId) {
            ObjectNode byKey = byId.get(nameOrId);
            if (byKey != null) {
                return byKey;
            }
            return byId.values().stream().filter(c -> c.path("Name").asText().equals("/" + nameOrId)).findFirst()
                    .orElseThrow(() -> new NotFoundException("No such container: " + nameOrId));
        }

        private void claim(String name) {
            if (byId.values().stream().anyMatch(c -> c.path("Name").asText().equals("/" + name))) {
                throw new DockerException(409, "Conflict. The container name \"/" + name + "\" is already in use");
            }
        }

        boolean running(String nameOrId) {
            return find(nameOrId).path("State").path("Running").asBoolean();
        }

        public List<ContainerInfo> containers() { return List.of(); }
        public ContainerInfo container(String n) { throw new UnsupportedOperationException(); }
        public void start(String id) { call("start " + id); ((ObjectNode) find(id).path("State")).put("Running", true); }
        public void stop(String id, Duration t) { call("stop " + id + " " + t.toSeconds()); ((ObjectNode) find(id).path("State")).put("Running", false); }
        public void pull(String r) { call("pull " + r); }
        public String inspectJson(String id) { call("inspect " + id); return find(id).toString(); }

        public void rename(String id, String n) {
            call("rename " + id + " " + n);
            ObjectNode c = find(id);
            claim(n);
            c.put("Name", "/" + n);
        }

        public void remove(String id, boolean f) {
            call("remove " + id + " " + f);
            byId.remove(find(id).path("Id").asText());
        }

        public String create(String n, String body) {
            call("create " + n);
            claim(n);
            createdBody = body;
            ObjectNode doc = JSON.createObjectNode().put("Id", "NEWID").put("Name", "/" + n);
            try {
                doc.set("Config", JSON.readTree(body));
            } catch (IOException e) {
                throw new IllegalArgumentException(e);
            }
            doc.putObject("State").put("Running", false);
            byId.put("NEWID", doc);
            return "NEWID";
        }
    }

    static Change change(FakeEngine e) {
        return new Change(new ContainerInfo(e.oldId, "web", IMAGE_OLD, "sha256:x", "running", Map.of(), null), IMAGE_NEW);
    }

    static JsonNode labelsOf(String body) throws IOException {
        return JSON.readTree(body).path("Labels");
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
    void planOnlyInspects() throws IOException {
        FakeEngine e = new FakeEngine();
        Applied plan = new RecreateStrategy(e, CLOCK).plan(change(e));
        assertEquals(List.of("inspect " + e.oldId), e.calls);
        assertEquals("web", plan.containerName());
        assertEquals(IMAGE_OLD, plan.previousImage());
        assertEquals(IMAGE_NEW, plan.newImage());
        assertEquals(Map.of(RecreateStrategy.OLD_ID, e.oldId, RecreateStrategy.OLD_NAME, "web",
                RecreateStrategy.KEPT_NAME, KEPT, RecreateStrategy.WAS_RUNNING, "true"), plan.undo());
    }

    @Test
    void planFailsWhenTheContainerCannotBeInspected() throws IOException {
        FakeEngine e = new FakeEngine();
        Change c = change(e);
        e.byId.clear();
        UpdateException x = assertThrows(UpdateException.class, () -> new RecreateStrategy(e, CLOCK).plan(c));
        assertTrue(x.getMessage().contains("inspecting the container failed"), x.getMessage());
        assertEquals(List.of("inspect " + e.oldId), e.calls);
    }

    @Test
    void planRejectsALabelBothSetAndRemoved() throws IOException {
        FakeEngine e = new FakeEngine();
        Change c = new Change(change(e).container(), IMAGE_OLD, Map.of("team", "edge"), List.of("team"));
        UpdateException x = assertThrows(UpdateException.class, () -> new RecreateStrategy(e, CLOCK).plan(c));
        assertTrue(x.getMessage().contains("team"), x.getMessage());
        assertTrue(e.calls.isEmpty());
    }

    @Test
    void applyThenUndo() throws IOException {
        FakeEngine e = new FakeEngine();
        RecreateStrategy s = new RecreateStrategy(e, CLOCK);
        Change c = change(e);
        String id = e.oldId;
        Applied plan = s.plan(c);
        e.calls.clear();
        List<String> stages = new ArrayList<>();
        Applied a = s.apply(c, plan, (stage, p, m) -> stages.add(stage));
        assertTrue(stages.containsAll(List.of("pulling_image", "recreating")));
        assertEquals(List.of("pull " + IMAGE_NEW, "inspect " + id, "rename " + id + " " + KEPT, "stop " + id + " 10",
                "create web", "start NEWID"), e.calls);
        assertEquals(new Applied("web", IMAGE_OLD, IMAGE_NEW, Map.of(RecreateStrategy.OLD_ID, id, RecreateStrategy.OLD_NAME, "web",
                RecreateStrategy.KEPT_NAME, KEPT, RecreateStrategy.NEW_ID, "NEWID", RecreateStrategy.WAS_RUNNING, "true")), a);
        assertEquals(IMAGE_NEW, JSON.readTree(e.createdBody).path("Image").asText());

        e.calls.clear();
        s.undo(a, StageListener.NONE);
        assertEquals(List.of("inspect " + id, "stop NEWID 10", "remove NEWID true", "rename " + id + " web", "start " + id), e.calls);
        assertEquals(id, e.find("web").path("Id").asText());
        assertTrue(e.running("web"));
        assertEquals(1, e.byId.size());
    }

    @Test
    void undoFromThePlanAloneFindsTheNewContainerByName() throws IOException {
        FakeEngine e = new FakeEngine();
        RecreateStrategy s = new RecreateStrategy(e, CLOCK);
        Applied plan = s.plan(change(e));
        s.apply(change(e), plan, StageListener.NONE);
        e.calls.clear();
        s.undo(plan, StageListener.NONE);
        assertEquals(List.of("inspect " + e.oldId, "inspect web", "stop NEWID 10", "remove NEWID true",
                "rename " + e.oldId + " web", "start " + e.oldId), e.calls);
        assertEquals(e.oldId, e.find("web").path("Id").asText());
    }

    @Test
    void undoRefusesOnceCommitted() throws IOException {
        FakeEngine e = new FakeEngine();
        RecreateStrategy s = new RecreateStrategy(e, CLOCK);
        Applied a = s.apply(change(e), StageListener.NONE);
        s.commit(a);
        UpdateException x = assertThrows(UpdateException.class, () -> s.undo(a, StageListener.NONE));
        assertTrue(x.getMessage().contains("no longer exists"), x.getMessage());
        assertTrue(e.running("NEWID"), "the new container is left running");
    }

    @Test
    void commitRemovesTheKeptContainer() throws IOException {
        FakeEngine e = new FakeEngine();
        RecreateStrategy s = new RecreateStrategy(e, CLOCK);
        Applied a = s.apply(change(e), StageListener.NONE);
        e.calls.clear();
        s.commit(a);
        assertEquals(List.of("inspect " + e.oldId, "remove " + e.oldId + " true"), e.calls);
        assertEquals(List.of("NEWID"), List.copyOf(e.byId.keySet()));
        s.commit(a); // again: nothing left to remove, no error
    }

    @Test
    void commitRefusesToRemoveTheOldContainerBackInService() throws IOException {
        FakeEngine e = new FakeEngine();
        RecreateStrategy s = new RecreateStrategy(e, CLOCK);
        Applied a = s.apply(change(e), StageListener.NONE);
        s.undo(a, StageListener.NONE);
        UpdateException x = assertThrows(UpdateException.class, () -> s.commit(a));
        assertTrue(x.getMessage().contains("not removed"), x.getMessage());
        assertTrue(e.running(e.oldId));
    }

    @Test
    void labelOnlyChangeRecreatesWithoutPulling() throws IOException {
        FakeEngine e = new FakeEngine();
        RecreateStrategy s = new RecreateStrategy(e, CLOCK);
        Change c = new Change(change(e).container(), IMAGE_OLD, Map.of("team", "edge", "added", "yes"), List.of("app.tier"));
        Applied a = s.apply(c, StageListener.NONE);
        assertFalse(e.calls.stream().anyMatch(call -> call.startsWith("pull")), e.calls.toString());
        assertEquals(IMAGE_OLD, a.newImage());
        assertEquals(IMAGE_OLD, JSON.readTree(e.createdBody).path("Image").asText());
        JsonNode labels = labelsOf(e.createdBody);
        assertEquals("edge", labels.path("team").asText());
        assertEquals("yes", labels.path("added").asText());
        assertFalse(labels.has("app.tier"));
        assertEquals("1.0.0", labels.path("org.opencontainers.image.version").asText(), "others kept");
    }

    @Test
    void failedPullChangesNothing() throws IOException {
        FakeEngine e = new FakeEngine();
        e.failOn = "pull";
        UpdateException x = assertThrows(UpdateException.class, () -> new RecreateStrategy(e, CLOCK).apply(change(e), null));
        assertTrue(x.getMessage().contains("nothing was changed"), x.getMessage());
        assertEquals(List.of("inspect " + e.oldId, "pull " + IMAGE_NEW), e.calls);
    }

    @Test
    void failedStartRestoresTheOldContainer() throws IOException {
        FakeEngine e = new FakeEngine();
        e.failOn = "start NEWID";
        String id = e.oldId;
        UpdateException x = assertThrows(UpdateException.class, () -> new RecreateStrategy(e, CLOCK).apply(change(e), null));
        assertTrue(x.getMessage().contains("starting the new container failed"), x.getMessage());
        assertTrue(x.getMessage().contains("the old container was restored"), x.getMessage());
        assertEquals(List.of("inspect " + id, "stop NEWID 10", "remove NEWID true", "rename " + id + " web", "start " + id),
                e.calls.subList(e.calls.size() - 5, e.calls.size()));
        assertEquals(List.of(id), List.copyOf(e.byId.keySet()));
        assertTrue(e.running("web"));
    }

    @Test
    void aPutBackThatFailsTooSaysItIsNotBack() throws IOException {
        FakeEngine e = new FakeEngine();
        e.failOn = "start"; // the new container's start, then the old one's
        UpdateException x = assertThrows(UpdateException.class, () -> new RecreateStrategy(e, CLOCK).apply(change(e), null));
        assertTrue(x.getMessage().contains("restoring the old container") && x.getMessage().contains("was incomplete"),
                x.getMessage());
        assertFalse(x.putBack(), "the old container is not running again: not a rollback");
    }

    @Test
    void aFailedStartIsLeftInPlaceWhenAutoRollbackIsOff() throws IOException {
        FakeEngine e = new FakeEngine();
        e.failOn = "start NEWID";
        Change change = new Change(new ContainerInfo(e.oldId, "web", IMAGE_OLD, "sha256:x", "running",
                Map.of(UpdateStrategy.AUTO_ROLLBACK_LABEL, "false"), null), IMAGE_NEW);
        UpdateException x = assertThrows(UpdateException.class, () -> new RecreateStrategy(e, CLOCK).apply(change, null));
        assertTrue(x.getMessage().contains("left as it is because docksmith.auto-rollback=false"), x.getMessage());
        assertFalse(x.putBack());
        assertEquals("/web", e.byId.get("NEWID").path("Name").asText(), "the new container keeps the name, to look at");
        assertTrue(e.byId.get(e.oldId).path("Name").asText().startsWith("/web-docksmith-old-"));
        assertFalse(e.running(e.oldId));
        assertTrue(e.calls.stream().noneMatch(c -> c.startsWith("remove")), "nothing removed: " + e.calls);
    }

    @Test
    void aFailedCreateIsPutBackEvenWithAutoRollbackOff() throws IOException {
        FakeEngine e = new FakeEngine();
        e.failOn = "create";
        Change change = new Change(new ContainerInfo(e.oldId, "web", IMAGE_OLD, "sha256:x", "running",
                Map.of(UpdateStrategy.AUTO_ROLLBACK_LABEL, "false"), null), IMAGE_NEW);
        UpdateException x = assertThrows(UpdateException.class, () -> new RecreateStrategy(e, CLOCK).apply(change, null));
        assertTrue(x.putBack(), "no new container to look at, so the old one is back: " + x.getMessage());
        assertTrue(e.running("web"));
    }

    @Test
    void failedCreateRestoresWithoutRemoving() throws IOException {
        FakeEngine e = new FakeEngine();
        e.failOn = "create";
        String id = e.oldId;
        UpdateException x = assertThrows(UpdateException.class, () -> new RecreateStrategy(e, CLOCK).apply(change(e), null));
        assertTrue(x.getMessage().contains("creating the new container"), x.getMessage());
        assertFalse(e.calls.stream().anyMatch(call -> call.startsWith("remove")));
        assertEquals(List.of("rename " + id + " web", "start " + id), e.calls.subList(e.calls.size() - 2, e.calls.size()));
        assertTrue(e.running("web"));
    }

    @Test
    void recoverBeforeTheRenameLeavesARunningContainerAlone() throws IOException {
        FakeEngine e = new FakeEngine();
        RecreateStrategy s = new RecreateStrategy(e, CLOCK);
        Applied plan = s.plan(change(e));
        e.calls.clear();
        String said = s.recover(plan);
        assertEquals(List.of("inspect " + e.oldId), e.calls);
        assertEquals("found web still under its name, running; nothing needed doing", said);
    }

    @Test
    void recoverBeforeTheRenameStartsAContainerThatWasRunning() throws IOException {
        FakeEngine e = new FakeEngine();
        RecreateStrategy s = new RecreateStrategy(e, CLOCK);
        Applied plan = s.plan(change(e));
        e.stop(e.oldId, Duration.ZERO); // e.g. the host restarted too
        e.calls.clear();
        String said = s.recover(plan);
        assertEquals(List.of("inspect " + e.oldId, "start " + e.oldId), e.calls);
        assertEquals("found web still under its name, stopped; started web", said);
    }

    @Test
    void recoverAfterTheRenameOnlyRenamesBack() throws IOException {
        FakeEngine e = new FakeEngine();
        RecreateStrategy s = new RecreateStrategy(e, CLOCK);
        Applied plan = s.plan(change(e));
        e.rename(e.oldId, KEPT);
        e.calls.clear();
        String said = s.recover(plan);
        assertEquals(List.of("inspect " + e.oldId, "inspect web", "rename " + e.oldId + " web"), e.calls);
        assertEquals("found the old container of web under " + KEPT + "; renamed " + KEPT + " back to web", said);
        assertTrue(e.running("web"));
    }

    @Test
    void recoverAfterTheCreateRemovesTheNewContainer() throws IOException {
        FakeEngine e = new FakeEngine();
        RecreateStrategy s = new RecreateStrategy(e, CLOCK);
        Applied plan = s.plan(change(e));
        e.rename(e.oldId, KEPT);
        e.stop(e.oldId, Duration.ZERO);
        e.create("web", "{\"Image\":\"" + IMAGE_NEW + "\"}");
        e.calls.clear();
        String said = s.recover(plan);
        assertEquals(List.of("inspect " + e.oldId, "inspect web", "stop NEWID 10", "remove NEWID true",
                "rename " + e.oldId + " web", "start " + e.oldId), e.calls);
        assertEquals("found the old container of web under " + KEPT + "; removed the new container NEWID, renamed "
                + KEPT + " back to web, started web", said);
        assertEquals(List.of(e.oldId), List.copyOf(e.byId.keySet()));
        assertTrue(e.running("web"));
    }

    @Test
    void recoverAfterAWholeApplyPutsTheOldContainerBack() throws IOException {
        FakeEngine e = new FakeEngine();
        RecreateStrategy s = new RecreateStrategy(e, CLOCK);
        Applied plan = s.plan(change(e));
        s.apply(change(e), plan, StageListener.NONE);
        String said = s.recover(plan);
        assertTrue(said.contains("removed the new container NEWID"), said);
        assertEquals(e.oldId, e.find("web").path("Id").asText());
        assertTrue(e.running("web"));
        assertEquals(1, e.byId.size());
    }

    @Test
    void recoverAfterTheCommitLeavesTheNewContainer() throws IOException {
        FakeEngine e = new FakeEngine();
        RecreateStrategy s = new RecreateStrategy(e, CLOCK);
        Applied plan = s.plan(change(e));
        s.commit(s.apply(change(e), plan, StageListener.NONE));
        e.calls.clear();
        String said = s.recover(plan);
        assertEquals(List.of("inspect " + e.oldId), e.calls);
        assertTrue(said.contains("no longer exists") && said.contains("left as it is"), said);
        assertTrue(e.running("NEWID"));
    }

    @Test
    void recoverSaysWhatFailed() throws IOException {
        FakeEngine e = new FakeEngine();
        RecreateStrategy s = new RecreateStrategy(e, CLOCK);
        Applied plan = s.plan(change(e));
        e.rename(e.oldId, KEPT);
        e.failOn = "rename";
        UpdateException x = assertThrows(UpdateException.class, () -> s.recover(plan));
        assertTrue(x.getMessage().contains("under " + KEPT) && x.getMessage().contains("renaming " + KEPT + " back to web failed"),
                x.getMessage());
    }
}
