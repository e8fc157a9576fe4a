package dev.docksmith.runtime.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.docksmith.api.Event;
import dev.docksmith.runtime.Docksmith;
import dev.docksmith.runtime.config.DocksmithConfig;
import dev.docksmith.runtime.config.Setting;
import dev.docksmith.runtime.store.InMemoryStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.docksmith.runtime.it.RealEngine.docker;
import static dev.docksmith.runtime.it.RealEngine.dockerQuietly;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every check status on the real engine and the real local registry. The test pushes its own
 * repository with versions of distinct digests, runs one container per situation, and reads
 * {@code GET /api/check} the way a user would.
 */
class CheckIT {
    static final String RUN = Long.toString(System.nanoTime(), 36);
    static final String REPO = "localhost:5000/docksmith-it/check-" + RUN;
    static final String LOCAL = "docksmith-it/local-" + RUN + ":1.0.0";
    static final List<String> containers = new ArrayList<>();
    static final List<Event> events = new CopyOnWriteArrayList<>();
    static Path work;
    static Docksmith docksmith;
    static ApiClient api;

    @BeforeAll
    static void setUp() throws Exception {
        RealEngine.require();
        work = Files.createTempDirectory("checkit");
        for (String version : List.of("1.0.0", "1.1.0", "2.0.0")) {
            build(REPO + ":" + version, version);
            docker("push", REPO + ":" + version);
        }
        docker("tag", REPO + ":2.0.0", REPO + ":latest");
        docker("push", REPO + ":latest");
        build(LOCAL, "local");

        Path scripts = Files.createDirectories(work.resolve("scripts"));
        Path fail = scripts.resolve("fail.sh");
        Files.writeString(fail, "#!/bin/sh\necho checking $CONTAINER_NAME for $TARGET_VERSION\necho maintenance window closed\nexit 3\n");
        Files.setPosixFilePermissions(fail, PosixFilePermissions.fromString("rwxr-xr-x"));

        run("uptodate", REPO + ":2.0.0");
        run("update", REPO + ":1.0.0");
        run("pinmajor", REPO + ":1.0.0", "--label", "docksmith.version-pin-major=true");
        run("pinnable", REPO + ":latest");
        run("allowlatest", REPO + ":latest", "--label", "docksmith.allow-latest=yes");
        run("ignored", REPO + ":1.0.0", "--label", "docksmith.ignore=true");
        run("local", LOCAL);
        run("blocked", REPO + ":1.0.0", "--label", "docksmith.pre-update-check=fail.sh");
        run("badregex", REPO + ":1.0.0", "--label", "docksmith.tag-regex=([unclosed");

        DocksmithConfig config = DocksmithConfig.defaults().with(Setting.PORT, "0").with(Setting.CHECK_INTERVAL, "0")
                .with(Setting.SCRIPTS_DIR, scripts.toString());
        docksmith = Docksmith.builder().config(config).store(new InMemoryStore()).eventListener(events::add).build().start();
        api = new ApiClient("http://127.0.0.1:" + docksmith.port());
    }

    @AfterAll
    static void tearDown() {
        if (docksmith != null) {
            docksmith.close();
        }
        containers.forEach(c -> dockerQuietly("rm", "-f", c));
        for (String tag : List.of("1.0.0", "1.1.0", "2.0.0", "latest")) {
            dockerQuietly("rmi", REPO + ":" + tag);
        }
        dockerQuietly("rmi", LOCAL);
    }

    static void build(String tag, String version) throws Exception {
        build(work, tag, version);
    }

    /** An image of its own digest: the demo image plus a label naming the version. */
    static void build(Path work, String tag, String version) throws Exception {
        Path dir = Files.createDirectories(work.resolve("build-" + version.replace(':', '_')));
        Files.writeString(dir.resolve("Dockerfile"), "FROM " + RealEngine.DEMO_1 + "\nLABEL dev.docksmith.test.version=" + version + "\n");
        List<String> command = List.of("env", "DOCKER_BUILDKIT=0", "docker", "build", "-q", "-t", tag, dir.toString());
        RealEngine.Result r = RealEngine.run(command);
        assertEquals(0, r.exit(), r.output());
    }

    static void run(String role, String image, String... labels) {
        String name = "checkit-" + role + "-" + RUN;
        List<String> args = new ArrayList<>(List.of("run", "-d", "--name", name, "--label", RealEngine.TEST_LABEL, "--network", "none"));
        args.addAll(List.of(labels));
        args.add(image);
        docker(args.toArray(String[]::new));
        containers.add(name);
    }

    static JsonNode result(JsonNode check, String role) {
        return ContainerApiIT.find(check.path("containers"), c -> c.path("name").asText().equals("checkit-" + role + "-" + RUN));
    }

    @Test
    void everyStatusOnARealHost() {
        var reply = api.get("/api/check");
        assertEquals(200, reply.status(), reply.text());
        JsonNode check = reply.data();

        JsonNode upToDate = result(check, "uptodate");
        assertEquals("UP_TO_DATE", upToDate.path("status").asText(), upToDate.toString());
        assertEquals("2.0.0", upToDate.path("current_version").asText());
        assertFalse(upToDate.path("update_available").asBoolean());

        JsonNode update = result(check, "update");
        assertEquals("UPDATE_AVAILABLE", update.path("status").asText(), update.toString());
        assertEquals("1.0.0", update.path("current_version").asText());
        assertEquals("2.0.0", update.path("latest_version").asText());
        assertEquals("major", update.path("change_type").asText());
        assertTrue(update.path("update_available").asBoolean());

        JsonNode pinned = result(check, "pinmajor");
        assertEquals("UPDATE_AVAILABLE", pinned.path("status").asText(), pinned.toString());
        assertEquals("1.1.0", pinned.path("latest_version").asText());
        assertEquals("minor", pinned.path("change_type").asText());
        assertEquals("true", pinned.path("labels").path("docksmith.version-pin-major").asText());

        JsonNode pinnable = result(check, "pinnable");
        assertEquals("UP_TO_DATE_PINNABLE", pinnable.path("status").asText(), pinnable.toString());
        assertEquals("2.0.0", pinnable.path("recommended_tag").asText());

        assertEquals("UP_TO_DATE", result(check, "allowlatest").path("status").asText());
        assertEquals("IGNORED", result(check, "ignored").path("status").asText());
        assertEquals("LOCAL_IMAGE", result(check, "local").path("status").asText());

        JsonNode blocked = result(check, "blocked");
        assertEquals("UPDATE_AVAILABLE_BLOCKED", blocked.path("status").asText(), blocked.toString());
        assertTrue(blocked.path("blocked_reason").asText().contains("maintenance window closed"), blocked.toString());
        assertTrue(blocked.path("blocked_reason").asText().contains("checking checkit-blocked-" + RUN + " for 2.0.0"), blocked.toString());

        JsonNode badRegex = result(check, "badregex");
        assertEquals("ERROR", badRegex.path("status").asText(), badRegex.toString());
        assertTrue(badRegex.path("error").asText().contains("docksmith.tag-regex"), badRegex.toString());

        assertTrue(check.path("total").asInt() >= containers.size());
        assertTrue(check.path("updates_available").asInt() >= 3);
        JsonNode status = api.get("/api/status").data();
        assertEquals(check.path("total").asInt(), status.path("total_checked").asInt());
        assertEquals(check.path("updates_available").asInt(), status.path("updates_found").asInt());
        assertFalse(status.path("last_cache_refresh").isNull(), "GET /api/check refreshes the cache: " + status);
        assertTrue(events.stream().anyMatch(e -> e.type().equals("check.progress") && "complete".equals(e.payload().get("stage"))));
    }

    @Test
    void recheckTagsAndHistory() throws Exception {
        JsonNode recheck = api.get("/api/container/checkit-update-" + RUN + "/recheck").data();
        assertEquals("1.0.0", recheck.path("current_version").asText());
        assertEquals("2.0.0", recheck.path("latest_version").asText());
        assertTrue(recheck.path("update_available").asBoolean());
        assertEquals(404, api.get("/api/container/nope-" + RUN + "/recheck").status());

        String repoPath = REPO.substring("localhost:5000/".length());
        JsonNode tags = api.get("/api/registry/tags/localhost:5000/" + repoPath).data();
        assertEquals(List.of("2.0.0", "1.1.0", "1.0.0", "latest"), ContainerApiIT.asList(tags.path("tags")));
        assertEquals(4, tags.path("count").asInt());
        assertEquals(404, api.get("/api/registry/tags/localhost:5000/docksmith-it/nothing-" + RUN).status());

        Thread.sleep(500); // history is written after the reply, off the request path
        JsonNode history = api.get("/api/history?container=checkit-update-" + RUN).data();
        assertTrue(history.size() >= 1, history.toString());
        assertEquals("check", history.get(0).path("type").asText());
        assertEquals("UPDATE_AVAILABLE", history.get(0).path("status").asText());
    }

    @Test
    void scriptAssignmentsActLikeTheLabelAndStayInsideTheScriptsDirectory() {
        String container = "checkit-update-" + RUN;
        assertTrue(api.get("/api/scripts").data().toString().contains("fail.sh"));
        for (String outside : List.of("../../etc/passwd", "/etc/passwd", "../scripts/../../bin/sh")) {
            var refused = api.post("/api/scripts/assign", "{\"container\":\"" + container + "\",\"script\":\"" + outside + "\"}");
            assertEquals(400, refused.status(), outside + " -> " + refused.text());
        }
        assertEquals(404, api.post("/api/scripts/assign", "{\"container\":\"" + container + "\",\"script\":\"nope.sh\"}").status());
        assertEquals(0, api.get("/api/scripts/assigned").data().path("count").asInt(), "refused input changes nothing");
        try {
            var assigned = api.post("/api/scripts/assign", "{\"container_name\":\"" + container + "\",\"script_path\":\"fail.sh\"}");
            assertEquals(200, assigned.status(), assigned.text());
            assertEquals("fail.sh", api.get("/api/scripts/assigned").data().path("assignments").path(container).asText());
            assertEquals("UPDATE_AVAILABLE_BLOCKED", api.get("/api/container/" + container + "/recheck").data().path("status").asText());
        } finally {
            assertEquals(200, api.delete("/api/scripts/assign/" + container).status());
        }
        assertEquals("UPDATE_AVAILABLE", api.get("/api/container/" + container + "/recheck").data().path("status").asText());
        assertEquals(404, api.delete("/api/scripts/assign/" + container).status());
    }

    @Test
    void containersStartedAfterACheckAppearInTheNextOneThroughEngineEvents() throws Exception {
        api.get("/api/check"); // the inventory is now kept
        String late = "checkit-late-" + RUN;
        docker("run", "-d", "--name", late, "--label", RealEngine.TEST_LABEL, "--network", "none", REPO + ":1.1.0");
        containers.add(late);
        // The kept lists may be reused for 30 s; only the engine's event can make the new container
        // visible within the 2 s this test allows.
        long deadline = System.nanoTime() + 2_000_000_000L;
        boolean seen = false;
        while (!seen && System.nanoTime() < deadline) {
            seen = api.get("/api/check").data().path("containers").toString().contains(late);
        }
        assertTrue(seen, "the new container shows up");
        docker("rm", "-f", late);
        containers.remove(late);
        deadline = System.nanoTime() + 2_000_000_000L;
        boolean gone = false;
        while (!gone && System.nanoTime() < deadline) {
            gone = !api.get("/api/check").data().path("containers").toString().contains(late);
        }
        assertTrue(gone, "the removed container disappears");
    }

    @Test
    void triggerCheckRunsInTheBackgroundAndJoins() throws Exception {
        var first = api.post("/api/trigger-check");
        var second = api.post("/api/trigger-check");
        assertEquals(200, first.status(), first.text());
        assertEquals(200, second.status());
        assertTrue(Map.of("started", 1, "running", 1).containsKey(second.data().path("status").asText()));
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (api.get("/api/status").data().path("last_background_run").isNull() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertFalse(api.get("/api/status").data().path("last_background_run").isNull());
    }
}
