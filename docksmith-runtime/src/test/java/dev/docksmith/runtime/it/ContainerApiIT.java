package dev.docksmith.runtime.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.docksmith.api.Event;
import dev.docksmith.runtime.Docksmith;
import dev.docksmith.runtime.config.DocksmithConfig;
import dev.docksmith.runtime.config.Setting;
import dev.docksmith.runtime.store.InMemoryStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static dev.docksmith.runtime.it.RealEngine.docker;
import static dev.docksmith.runtime.it.RealEngine.dockerQuietly;
import static dev.docksmith.runtime.it.RealEngine.runDemo;
import static dev.docksmith.runtime.it.RealEngine.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The container-management routes against the real engine, through a real HTTP socket. */
class ContainerApiIT {
    static Docksmith docksmith;
    static ApiClient api;
    static final List<Event> events = new CopyOnWriteArrayList<>();
    final List<String> created = new ArrayList<>();

    @BeforeAll
    static void start() {
        RealEngine.require();
        DocksmithConfig config = DocksmithConfig.defaults().with(Setting.PORT, "0");
        docksmith = Docksmith.builder().config(config).store(new InMemoryStore()).eventListener(events::add).build().start();
        api = new ApiClient("http://127.0.0.1:" + docksmith.port());
    }

    @AfterAll
    static void stop() {
        if (docksmith != null) {
            docksmith.close();
        }
    }

    @AfterEach
    void cleanUp() {
        for (String name : created) {
            dockerQuietly("rm", "-f", name);
        }
    }

    private String demo(String prefix, String... extra) {
        String name = unique(prefix);
        created.add(name);
        return runDemo(name, extra);
    }

    @Test
    void healthStatusAndDockerConfig() {
        var health = api.get("/api/health");
        assertEquals(200, health.status());
        assertEquals("ok", health.json().path("status").asText());
        assertFalse(health.json().path("version").asText().isEmpty());

        var status = api.get("/api/status").data();
        for (String field : List.of("total_checked", "updates_found", "last_cache_refresh", "last_background_run")) {
            assertTrue(status.has(field), field);
        }
        assertEquals(0, status.path("total_checked").asInt());

        var config = api.get("/api/docker-config");
        assertEquals(200, config.status());
        JsonNode d = config.data();
        assertTrue(d.path("reachable").asBoolean(), d.toString());
        assertEquals(docker("version", "--format", "{{.Server.Version}}"), d.path("engine_version").asText());
        assertEquals(docker("version", "--format", "{{.Server.APIVersion}}"), d.path("api_version").asText());
        assertEquals("unix:///var/run/docker.sock", d.path("docker_host").asText());
        assertFalse(d.path("compose").path("command").isNull(), "a compose command is found: " + d.path("compose"));
        assertTrue(d.path("plugins").has("loaded") && d.path("plugins").has("failed"));
    }

    @Test
    void explorerListsEveryKindWithUsage() {
        String name = demo("explore");
        String volume = unique("vol");
        String network = unique("net");
        docker("volume", "create", "--label", RealEngine.TEST_LABEL, volume);
        docker("network", "create", "--label", RealEngine.TEST_LABEL, network);
        String withVolume = demo("explore-vol", "-v", volume + ":/data");
        try {
            JsonNode data = api.get("/api/explorer").data();
            JsonNode container = find(data.path("containers"), c -> c.path("name").asText().equals(name));
            assertEquals(RealEngine.DEMO_1, container.path("image").asText());
            assertEquals("running", container.path("state").asText());
            JsonNode image = find(data.path("images"), i -> i.path("id").asText().equals(container.path("image_id").asText()));
            assertTrue(image.path("in_use").asBoolean());
            assertTrue(image.path("tags").toString().contains(RealEngine.DEMO_1), image.toString());
            JsonNode net = find(data.path("networks"), n -> n.path("name").asText().equals(network));
            assertFalse(net.path("in_use").asBoolean());
            JsonNode vol = find(data.path("volumes"), v -> v.path("name").asText().equals(volume));
            assertTrue(vol.path("in_use").asBoolean());
            assertEquals(withVolume, vol.path("containers").path(0).asText());

            assertTrue(api.get("/api/images").data().isArray());
            assertTrue(api.get("/api/networks").data().size() >= 3, "bridge, host and none at least");
            find(api.get("/api/volumes").data(), v -> v.path("name").asText().equals(volume));
        } finally {
            dockerQuietly("rm", "-f", withVolume);
            dockerQuietly("volume", "rm", volume);
            dockerQuietly("network", "rm", network);
        }
    }

    @Test
    void removesNetworksVolumesAndImagesAndRefusesWhatIsInUse() {
        String network = unique("net");
        String volume = unique("vol");
        docker("network", "create", network);
        docker("volume", "create", volume);
        var removedNet = api.delete("/api/networks/" + network);
        assertEquals(200, removedNet.status(), removedNet.text());
        assertTrue(removedNet.data().path("operation_id").asText().startsWith("op_"));
        assertFalse(docker("network", "ls", "--format", "{{.Name}}").lines().anyMatch(network::equals));
        assertEquals(200, api.delete("/api/volumes/" + volume).status());
        assertFalse(docker("volume", "ls", "--format", "{{.Name}}").lines().anyMatch(volume::equals));

        String tag = "localhost:5000/docksmith/scratch:" + unique("t");
        docker("tag", RealEngine.DEMO_1, tag);
        var removedImage = api.delete("/api/images/" + tag);
        assertEquals(200, removedImage.status(), removedImage.text());
        assertEquals(List.of(tag), asList(removedImage.data().path("untagged")));

        String name = demo("inuse");
        String imageId = docker("inspect", "--format", "{{.Image}}", name);
        var conflict = api.delete("/api/images/" + imageId);
        assertEquals(409, conflict.status(), conflict.text());
        assertEquals("CONFLICT", conflict.errorCode());
        assertTrue(conflict.errorMessage().contains("image is being used") || conflict.errorMessage().contains("conflict"),
                conflict.errorMessage());

        int opsBefore = api.get("/api/operations").data().size();
        for (String path : List.of("/api/images/sha256:" + "0".repeat(64), "/api/networks/nope-" + unique("n"), "/api/volumes/nope-" + unique("v"))) {
            var missing = api.delete(path);
            assertEquals(404, missing.status(), path + ": " + missing.text());
            assertEquals("NOT_FOUND", missing.errorCode());
        }
        assertEquals(opsBefore, api.get("/api/operations").data().size(), "unknown resources record no operation");
    }

    @Test
    void networksAndVolumesInUseOrPredefinedAreConflictsAndStay() {
        String network = unique("busy-net");
        String volume = unique("busy-vol");
        docker("network", "create", "--label", RealEngine.TEST_LABEL, network);
        docker("volume", "create", "--label", RealEngine.TEST_LABEL, volume);
        String name = unique("busy");
        created.add(name);
        docker("run", "-d", "--name", name, "--label", RealEngine.TEST_LABEL, "--network", network,
                "-v", volume + ":/data", RealEngine.DEMO_1);
        try {
            // The engine answers 403 for a network with endpoints and for bridge/host/none; for the
            // caller that is a conflict with the resource's state, not a bad request.
            var busyNet = api.delete("/api/networks/" + network);
            assertEquals(409, busyNet.status(), busyNet.text());
            assertEquals("CONFLICT", busyNet.errorCode());
            assertTrue(busyNet.errorMessage().contains("active endpoints"), busyNet.errorMessage());
            assertEquals(network, docker("network", "inspect", "--format", "{{.Name}}", network), "network still there");

            var bridge = api.delete("/api/networks/bridge");
            assertEquals(409, bridge.status(), bridge.text());
            assertEquals("CONFLICT", bridge.errorCode());
            assertTrue(bridge.errorMessage().contains("pre-defined network"), bridge.errorMessage());
            assertEquals("bridge", docker("network", "inspect", "--format", "{{.Name}}", "bridge"));

            var busyVol = api.delete("/api/volumes/" + volume);
            assertEquals(409, busyVol.status(), busyVol.text());
            assertEquals("CONFLICT", busyVol.errorCode());
            assertTrue(busyVol.errorMessage().contains("volume is in use"), busyVol.errorMessage());
            assertEquals(volume, docker("volume", "inspect", "--format", "{{.Name}}", volume), "volume still there");
        } finally {
            dockerQuietly("rm", "-f", name);
            dockerQuietly("network", "rm", network);
            dockerQuietly("volume", "rm", volume);
        }
    }

    @Test
    void containerLifecycleRecordsOperationsAndPublishesEngineEvents() throws Exception {
        String name = demo("life");
        assertEquals(200, api.post("/api/containers/" + name + "/stop?timeout=2").status());
        assertEquals("exited", docker("inspect", "--format", "{{.State.Status}}", name));
        awaitEvent(e -> e.type().equals("container.stopped") && name.equals(e.payload().get("container")));

        var started = api.post("/api/containers/" + name + "/start");
        assertEquals(200, started.status(), started.text());
        assertEquals("running", docker("inspect", "--format", "{{.State.Status}}", name));

        String before = docker("inspect", "--format", "{{.State.StartedAt}}", name);
        var restarted = api.post("/api/containers/" + name + "/restart");
        assertEquals(200, restarted.status(), restarted.text());
        assertFalse(before.equals(docker("inspect", "--format", "{{.State.StartedAt}}", name)), "restarted for real");

        var refused = api.delete("/api/containers/" + name);
        assertEquals(409, refused.status(), "a running container needs force: " + refused.text());
        var removed = api.delete("/api/containers/" + name + "?force=true");
        assertEquals(200, removed.status(), removed.text());
        assertEquals(1, RealEngine.run(List.of("docker", "inspect", name)).exit());
        awaitEvent(e -> e.type().equals("container.removed") && name.equals(e.payload().get("container")));

        JsonNode ops = api.get("/api/operations?container=" + name).data();
        List<String> types = new ArrayList<>();
        ops.forEach(o -> types.add(o.path("operation_type").asText() + ":" + o.path("status").asText()));
        assertEquals(List.of("remove:complete", "remove:failed", "restart:complete", "start:complete", "stop:complete"), types);
        JsonNode first = ops.get(ops.size() - 1);
        for (String field : List.of("operation_id", "container_name", "stack_name", "operation_type", "status", "old_version",
                "new_version", "started_at", "completed_at")) {
            assertTrue(first.has(field), field);
        }
        String id = first.path("operation_id").asText();
        assertEquals(id, api.get("/api/operations/" + id).data().path("operation_id").asText());
        assertEquals(1, api.get("/api/operations?container=" + name + "&type=stop&status=complete&limit=5").data().size());
        assertEquals(2, api.get("/api/operations?container=" + name + "&limit=2").data().size());
        assertEquals(404, api.get("/api/operations/op_nope").status());
        assertEquals(400, api.get("/api/operations?status=sideways").status());
        assertEquals(400, api.get("/api/operations?limit=lots").status());
    }

    @Test
    void logsInspectAndStats() {
        String name = unique("logs");
        created.add(name);
        docker("run", "-d", "--name", name, "--label", RealEngine.TEST_LABEL, "--network", "none", RealEngine.DEMO_1,
                "sh", "-c", "for i in 1 2 3 4 5; do echo out$i; echo err$i >&2; done; sleep 300");
        String logs = awaitLogs(name, "err5");
        assertTrue(logs.contains("out1") && logs.contains("err1"), logs);
        assertFalse(logs.contains("\u0001") || logs.contains("\u0002"), "frame headers are stripped");
        String tail = api.get("/api/containers/" + name + "/logs?tail=2").data().path("logs").asText();
        assertEquals(2, tail.lines().count(), tail);
        String future = api.get("/api/containers/" + name + "/logs?since=2999-01-01T00:00:00Z").data().path("logs").asText();
        assertEquals("", future);
        assertEquals(400, api.get("/api/containers/" + name + "/logs?since=yesterday").status());
        assertEquals(400, api.get("/api/containers/" + name + "/logs?tail=-3").status());

        JsonNode inspect = api.get("/api/containers/" + name + "/inspect").data();
        assertEquals("/" + name, inspect.path("Name").asText());

        JsonNode stats = api.get("/api/containers/" + name + "/stats").data();
        for (String field : List.of("cpu_percent", "memory_usage", "memory_limit", "memory_percent", "network_rx", "network_tx")) {
            assertTrue(stats.has(field), field + " in " + stats);
        }
        assertTrue(stats.path("memory_usage").asLong() > 0, stats.toString());
        assertTrue(stats.path("memory_limit").asLong() >= stats.path("memory_usage").asLong(), stats.toString());
    }

    @Test
    void ttyContainerLogsAreReturnedRaw() {
        String name = unique("tty");
        created.add(name);
        docker("run", "-d", "-t", "--name", name, "--label", RealEngine.TEST_LABEL, "--network", "none", RealEngine.DEMO_1,
                "sh", "-c", "echo hello-tty; sleep 300");
        assertTrue(awaitLogs(name, "hello-tty").contains("hello-tty"));
    }

    @Test
    void unknownContainersAre404OnEveryRoute() {
        String ghost = unique("ghost");
        List<ApiClient.Response> replies = List.of(
                api.get("/api/containers/" + ghost + "/logs"), api.get("/api/containers/" + ghost + "/inspect"),
                api.get("/api/containers/" + ghost + "/stats"), api.post("/api/containers/" + ghost + "/stop"),
                api.post("/api/containers/" + ghost + "/start"), api.post("/api/containers/" + ghost + "/restart"),
                api.delete("/api/containers/" + ghost), api.post("/api/restart/container/" + ghost),
                api.post("/api/restart", "{\"container\":\"" + ghost + "\"}"), api.post("/api/restart/stack/" + ghost),
                api.post("/api/restart/start/" + ghost));
        for (var r : replies) {
            assertEquals(404, r.status(), r.text());
            assertEquals("NOT_FOUND", r.errorCode(), r.text());
            assertFalse(r.json().path("success").asBoolean(true));
        }
        assertEquals(0, api.get("/api/operations?container=" + ghost).data().size(), "nothing recorded for bad input");
    }

    @Test
    void badBodiesAre400AndChangeNothing() {
        String name = demo("bad");
        int opsBefore = api.get("/api/operations").data().size();
        for (String body : List.of("{", "[]", "{\"container\": 42}", "{\"container\": \"\"}", "{}", "\"text\"")) {
            var r = api.post("/api/restart", body);
            assertEquals(400, r.status(), body + " -> " + r.text());
            assertEquals("BAD_REQUEST", r.errorCode());
        }
        assertEquals(opsBefore, api.get("/api/operations").data().size());
        assertEquals("running", docker("inspect", "--format", "{{.State.Status}}", name));
    }

    @Test
    void restartByBodyRestartsDependentsToo() {
        String db = demo("db");
        String app = demo("app", "--label", "docksmith.restart-after=" + db);
        String appStarted = docker("inspect", "--format", "{{.State.StartedAt}}", app);
        var r = api.post("/api/restart", "{\"container_name\":\"" + db + "\"}");
        assertEquals(200, r.status(), r.text());
        assertEquals(List.of(app), asList(r.data().path("dependents_restarted")));
        assertFalse(appStarted.equals(docker("inspect", "--format", "{{.State.StartedAt}}", app)));
    }

    @Test
    void restartWithProgressStreamsUntilDone() throws Exception {
        String name = demo("sse");
        var response = api.stream("POST", "/api/restart/start/" + name);
        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("content-type").orElse("").startsWith("text/event-stream"));
        List<JsonNode> stages = new ArrayList<>();
        try (var lines = response.body()) {
            lines.filter(l -> l.startsWith("data: ")).map(l -> dev.docksmith.runtime.json.Json.parse(l.substring(6).getBytes()))
                    .forEach(stages::add);
        }
        List<String> names = stages.stream().map(s -> s.path("payload").path("stage").asText()).toList();
        assertEquals(List.of("restarting", "restarted", "complete"), names);
        stages.forEach(s -> assertEquals("restart.progress", s.path("type").asText()));
        assertEquals(100, stages.get(stages.size() - 1).path("payload").path("progress").asInt());
    }

    @Test
    void pruneRemovesOnlyWhatIsUnused() {
        String stopped = unique("stopped");
        docker("create", "--name", stopped, "--label", RealEngine.TEST_LABEL, RealEngine.DEMO_1);
        String running = demo("keep");
        String network = unique("prune-net");
        docker("network", "create", network);

        var containers = api.post("/api/prune/containers");
        assertEquals(200, containers.status(), containers.text());
        assertTrue(containers.data().path("containers_deleted").asInt() >= 1);
        assertEquals(1, RealEngine.run(List.of("docker", "inspect", stopped)).exit(), "stopped container pruned");
        assertEquals("running", docker("inspect", "--format", "{{.State.Status}}", running));

        // Anonymous volumes other runs left would make the counts below inexact: prune them first.
        assertEquals(200, api.post("/api/prune/volumes").status());
        String named = unique("named-vol");
        docker("volume", "create", named);
        // An anonymous volume with 1000 bytes in it, unused once its container is gone.
        String writer = unique("anon-writer");
        docker("run", "--name", writer, "--label", RealEngine.TEST_LABEL, "--network", "none", "-v", "/anon",
                RealEngine.DEMO_1, "sh", "-c", "head -c 1000 /dev/zero > /anon/data");
        String anonymous = docker("inspect", "--format", "{{range .Mounts}}{{.Name}}{{end}}", writer);
        docker("rm", writer);
        try {
            var volumes = api.post("/api/prune/volumes");
            assertEquals(200, volumes.status(), volumes.text());
            // Every engine, 1.41 included (whose own prune takes named volumes too), keeps named ones.
            assertTrue(docker("volume", "ls", "--format", "{{.Name}}").lines().anyMatch(named::equals), "named volume kept");
            assertFalse(docker("volume", "ls", "--format", "{{.Name}}").lines().anyMatch(anonymous::equals), "anonymous volume pruned");
            assertEquals(1, volumes.data().path("volumes_deleted").asInt(), volumes.text());
            assertEquals(1000, volumes.data().path("space_reclaimed").asLong(), volumes.text());
        } finally {
            dockerQuietly("volume", "rm", named);
            dockerQuietly("volume", "rm", anonymous);
        }

        var networks = api.post("/api/prune/networks");
        assertTrue(networks.data().path("networks_deleted").asInt() >= 1, networks.text());

        // Dangling images left by other runs would make the count below inexact: prune them first.
        assertEquals(200, api.post("/api/prune/images").status());
        // Two dangling images sharing one new layer: the engine's report lists three Deleted ids (the
        // layer too), and the contract counts images.
        docker("exec", running, "sh", "-c", "echo changed > /prune-marker");
        String dangling = docker("commit", running);
        String danglingToo = docker("commit", running);
        var images = api.post("/api/prune/images");
        assertEquals(200, images.status(), images.text());
        assertEquals(2, images.data().path("images_deleted").asInt(), images.text());
        assertEquals(1, RealEngine.run(List.of("docker", "image", "inspect", dangling)).exit(), "dangling image pruned");
        assertEquals(1, RealEngine.run(List.of("docker", "image", "inspect", danglingToo)).exit(), "dangling image pruned");
        assertEquals(0, RealEngine.run(List.of("docker", "image", "inspect", RealEngine.DEMO_2)).exit(),
                "tagged unused images stay unless all=true");

        // A dangling image whose only user is a stopped container: system prune removes the container,
        // then the image (one image, one layer).
        String freed = docker("commit", running);
        created.add(docker("create", "--label", RealEngine.TEST_LABEL, freed));
        var system = api.post("/api/prune/system");
        assertEquals(200, system.status(), system.text());
        assertEquals(1, system.data().path("images_deleted").asInt(), system.text());
        assertEquals(1, RealEngine.run(List.of("docker", "image", "inspect", freed)).exit(), "freed image pruned");
        for (String field : List.of("containers_deleted", "images_deleted", "networks_deleted", "volumes_deleted", "space_reclaimed")) {
            assertTrue(system.data().has(field), field);
        }
        assertEquals("running", docker("inspect", "--format", "{{.State.Status}}", running));
    }

    private String awaitLogs(String name, String marker) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        String logs = "";
        while (System.nanoTime() < deadline) {
            var r = api.get("/api/containers/" + name + "/logs?tail=all");
            assertEquals(200, r.status(), r.text());
            logs = r.data().path("logs").asText();
            if (logs.contains(marker)) {
                return logs;
            }
            sleep(100);
        }
        throw new AssertionError("logs never showed " + marker + ": " + logs);
    }

    static void awaitEvent(Predicate<Event> match) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (events.stream().anyMatch(match)) {
                return;
            }
            sleep(50);
        }
        throw new AssertionError("no matching event among " + events);
    }

    static JsonNode find(JsonNode array, Predicate<JsonNode> match) {
        for (JsonNode n : array) {
            if (match.test(n)) {
                return n;
            }
        }
        throw new AssertionError("not found in " + array);
    }

    static List<String> asList(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
