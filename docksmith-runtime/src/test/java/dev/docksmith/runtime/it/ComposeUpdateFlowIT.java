package dev.docksmith.runtime.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.docksmith.runtime.it.UpdateFixture.DEMO;
import static dev.docksmith.runtime.it.UpdateFixture.HEALTH;
import static dev.docksmith.runtime.it.UpdateFixture.composeDown;
import static dev.docksmith.runtime.it.UpdateFixture.composeUp;
import static dev.docksmith.runtime.it.UpdateFixture.containerName;
import static dev.docksmith.runtime.it.UpdateFixture.imageOf;
import static dev.docksmith.runtime.it.UpdateFixture.stateOf;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Updates through the API on real compose projects, made by compose v2 and by v1: the file changes by
 * one line and back byte for byte, a broken version rolls itself back, a blocking script changes
 * nothing, labels are edited in place, a batch runs stack by stack in depends_on order.
 */
class ComposeUpdateFlowIT {
    /** Comments, quoting and order a careless rewrite would lose. */
    static final String FILE = """
            # the demo stack: comments, quotes and key order must survive updates
            services:
              web:   # the front
                image: "%1$s:1.0.0"    # pinned on purpose
                network_mode: none
                labels:
                  - "com.example.keep=yes"
              db:
                network_mode: none
                image: '%1$s:1.0.0'
            """;

    static UpdateFixture fx;
    @TempDir
    static Path scripts;

    @BeforeAll
    static void start() throws Exception {
        Path fail = scripts.resolve("not-now.sh");
        Files.writeString(fail, "#!/bin/sh\necho \"maintenance window closed for $CONTAINER_NAME -> $TARGET_VERSION\"\nexit 3\n");
        assertTrue(fail.toFile().setExecutable(true));
        fx = new UpdateFixture(scripts);
    }

    @AfterAll
    static void stop() {
        if (fx != null) {
            fx.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"v2", "v1"})
    void updatesByOneLineThenRollsBackToTheSameBytes(String flavour, @TempDir Path dir) throws Exception {
        String project = RealEngine.unique("upd" + flavour);
        Path file = dir.resolve("compose.yaml");
        Files.writeString(file, FILE.formatted(DEMO));
        byte[] original = Files.readAllBytes(file);
        composeUp(flavour, project, file);
        String web = containerName(flavour, project, "web");
        try {
            String op = fx.start("/api/update", "{\"container\":\"" + web + "\",\"version\":\"2.1.0\"}");
            JsonNode done = fx.await(op);
            assertEquals("complete", done.path("status").asText(), done.toString());
            assertEquals("1.0.0", done.path("old_version").asText());
            assertEquals("2.1.0", done.path("new_version").asText());
            assertEquals(List.of("queued", "validating", "backup", "updating_compose", "pulling_image", "recreating",
                    "health_check", "complete"), fx.stages(op));
            assertTrue(fx.events.stream().anyMatch(e -> e.type().equals("container.updated") && op.equals(e.payload().get("operation_id"))));

            List<String> before = lines(original);
            List<String> after = lines(Files.readAllBytes(file));
            List<Integer> changed = differingLines(before, after);
            assertEquals(List.of(3), changed, "only the image line changes:\n" + String.join("\n", after));
            assertEquals(before.get(3).replace(":1.0.0", ":2.1.0"), after.get(3));
            assertEquals(DEMO + ":2.1.0", imageOf(web));
            assertEquals("running", stateOf(web));
            assertEquals(DEMO + ":1.0.0", imageOf(containerName(flavour, project, "db")), "--no-deps: db untouched");

            JsonNode policy = fx.api.get("/api/policies").data().path("containers").path(web);
            assertTrue(policy.path("can_rollback").asBoolean(), policy.toString());
            assertEquals(op, policy.path("last_operation_id").asText());
            assertEquals("1.0.0", policy.path("old_version").asText());

            String back = fx.start("/api/rollback", "{\"operation_id\":\"" + op + "\"}");
            JsonNode rolled = fx.await(back);
            assertEquals("complete", rolled.path("status").asText(), rolled.toString());
            assertEquals("rollback", rolled.path("operation_type").asText());
            assertArrayEquals(original, Files.readAllBytes(file), "rollback restores the file byte for byte");
            assertEquals(DEMO + ":1.0.0", imageOf(web));
            assertEquals("running", stateOf(web));

            JsonNode history = fx.api.get("/api/history").data();
            assertTrue(history.toString().contains(back) && history.toString().contains(op), history.toString());
        } finally {
            composeDown(flavour, project, file);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"v2", "v1"})
    void aVersionThatFailsItsHealthcheckRollsItselfBack(String flavour, @TempDir Path dir) throws Exception {
        String project = RealEngine.unique("hc" + flavour);
        Path file = dir.resolve("docker-compose.yml");
        Files.writeString(file, "services:\n  app:\n    image: " + HEALTH + ":1.0.0\n    network_mode: none\n");
        byte[] original = Files.readAllBytes(file);
        composeUp(flavour, project, file);
        String app = containerName(flavour, project, "app");
        try {
            // demo-health:2.0.0 lacks the page its healthcheck fetches.
            String op = fx.start("/api/update", "{\"container_name\":\"" + app + "\",\"target_version\":\"2.0.0\"}");
            JsonNode done = fx.await(op);
            assertEquals("rolled_back", done.path("status").asText(), done.toString());
            assertTrue(done.path("error").asText().contains("unhealthy"), done.toString());
            assertTrue(fx.stages(op).containsAll(List.of("pulling_image", "recreating", "health_check", "rolled_back")), fx.stages(op).toString());
            assertArrayEquals(original, Files.readAllBytes(file));
            assertEquals(HEALTH + ":1.0.0", imageOf(app));
            assertEquals("running", stateOf(app));
            assertTrue(!fx.api.get("/api/policies").data().path("containers").path(app).path("can_rollback").asBoolean());
        } finally {
            composeDown(flavour, project, file);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"v2"})
    void withAutoRollbackOffAFailingVersionIsLeftInPlace(String flavour, @TempDir Path dir) throws Exception {
        String project = RealEngine.unique("norb" + flavour);
        Path file = dir.resolve("compose.yaml");
        Files.writeString(file, "services:\n  app:\n    image: " + HEALTH + ":1.0.0\n    network_mode: none\n"
                + "    labels:\n      docksmith.auto-rollback: \"false\"\n");
        composeUp(flavour, project, file);
        String app = containerName(flavour, project, "app");
        try {
            JsonNode done = fx.await(fx.start("/api/update", "{\"container\":\"" + app + "\",\"version\":\"2.0.0\"}"));
            assertEquals("failed", done.path("status").asText(), done.toString());
            assertTrue(done.path("error").asText().contains("docksmith.auto-rollback=false"), done.toString());
            assertEquals(HEALTH + ":2.0.0", imageOf(app), "left for the operator to look at");
            assertTrue(Files.readString(file).contains(HEALTH + ":2.0.0"), "the file says what runs");
        } finally {
            composeDown(flavour, project, file);
        }
    }

    /**
     * A version whose container cannot even start (its entrypoint does not exist): compose's {@code up}
     * fails at recreating. By default the file and the old container come back and the operation is
     * rolled back; with auto-rollback off it stays on the new version and the operation is failed.
     */
    @ParameterizedTest
    @ValueSource(strings = {"v2-default", "v1-default", "v2-off", "v1-off"})
    void aVersionThatCannotStartIsRolledBackUnlessAutoRollbackIsOff(String flavourAndRollback, @TempDir Path dir)
            throws Exception {
        String flavour = flavourAndRollback.substring(0, 2);
        boolean autoRollback = flavourAndRollback.endsWith("default");
        String repo = unstartableRepo();
        String project = RealEngine.unique("nostart" + flavour);
        Path file = dir.resolve("compose.yaml");
        Files.writeString(file, "services:\n  app:\n    image: " + repo + ":1.0.0\n    network_mode: none\n"
                + (autoRollback ? "" : "    labels:\n      docksmith.auto-rollback: \"false\"\n"));
        byte[] original = Files.readAllBytes(file);
        composeUp(flavour, project, file);
        String app = containerName(flavour, project, "app");
        try {
            String op = fx.start("/api/update", "{\"container\":\"" + app + "\",\"version\":\"2.0.0\"}");
            JsonNode done = fx.await(op);
            assertTrue(done.path("error").asText().contains("recreating failed"), done.toString());
            if (autoRollback) {
                assertEquals("rolled_back", done.path("status").asText(), done.toString());
                assertArrayEquals(original, Files.readAllBytes(file));
                assertEquals(repo + ":1.0.0", imageOf(app));
                assertEquals("running", stateOf(app));
            } else {
                assertEquals("failed", done.path("status").asText(), done.toString());
                assertTrue(done.path("error").asText().contains("docksmith.auto-rollback=false"), done.toString());
                assertTrue(Files.readString(file).contains(repo + ":2.0.0"), "left on the new version to look at");
                assertEquals(repo + ":2.0.0", imageOf(app));
            }
        } finally {
            composeDown(flavour, project, file);
            RealEngine.dockerQuietly("rmi", repo + ":1.0.0", repo + ":2.0.0");
        }
    }

    /** A repository whose 1.0.0 is the demo and whose 2.0.0 has an entrypoint that does not exist. */
    static String unstartableRepo() {
        String repo = "localhost:5000/" + RealEngine.unique("docksmith-it/nostart");
        String maker = RealEngine.unique("nostart-maker");
        RealEngine.docker("tag", DEMO + ":1.0.0", repo + ":1.0.0");
        RealEngine.docker("create", "--name", maker, DEMO + ":1.0.0");
        try {
            RealEngine.docker("commit", "--change", "ENTRYPOINT [\"/no/such/binary\"]", "--change", "CMD []",
                    maker, repo + ":2.0.0");
        } finally {
            RealEngine.dockerQuietly("rm", "-f", maker);
        }
        RealEngine.docker("push", repo + ":1.0.0");
        RealEngine.docker("push", repo + ":2.0.0");
        return repo;
    }

    @ParameterizedTest
    @ValueSource(strings = {"v2", "v1"})
    void aBlockingPreUpdateScriptChangesNothing(String flavour, @TempDir Path dir) throws Exception {
        String project = RealEngine.unique("blk" + flavour);
        Path file = dir.resolve("compose.yaml");
        Files.writeString(file, "services:\n  web:\n    image: " + DEMO + ":1.0.0\n    network_mode: none\n"
                + "    labels:\n      docksmith.pre-update-check: not-now.sh\n");
        byte[] original = Files.readAllBytes(file);
        composeUp(flavour, project, file);
        String web = containerName(flavour, project, "web");
        String id = RealEngine.docker("inspect", "--format", "{{.Id}}", web);
        try {
            JsonNode done = fx.await(fx.start("/api/update", "{\"container\":\"" + web + "\",\"version\":\"1.1.0\"}"));
            assertEquals("failed", done.path("status").asText(), done.toString());
            assertTrue(done.path("error").asText().contains("maintenance window closed for " + web + " -> 1.1.0"), done.toString());
            assertArrayEquals(original, Files.readAllBytes(file));
            assertEquals(id, RealEngine.docker("inspect", "--format", "{{.Id}}", web), "not recreated");

            // force skips the check
            JsonNode forced = fx.await(fx.start("/api/update", "{\"container\":\"" + web + "\",\"version\":\"1.1.0\",\"force\":true}"));
            assertEquals("complete", forced.path("status").asText(), forced.toString());
            assertEquals(DEMO + ":1.1.0", imageOf(web));
        } finally {
            composeDown(flavour, project, file);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"v2", "v1"})
    void labelsAreEditedInPlaceAndRemovedToTheSameBytes(String flavour, @TempDir Path dir) throws Exception {
        String project = RealEngine.unique("lbl" + flavour);
        Path file = dir.resolve("compose.yaml");
        Files.writeString(file, FILE.formatted(DEMO));
        byte[] original = Files.readAllBytes(file);
        composeUp(flavour, project, file);
        String web = containerName(flavour, project, "web");
        try {
            JsonNode set = fx.await(fx.start("/api/labels/set",
                    "{\"container\":\"" + web + "\",\"labels\":{\"docksmith.ignore\":\"true\",\"docksmith.version-pin-major\":\"true\"}}"));
            assertEquals("complete", set.path("status").asText(), set.toString());
            List<String> before = lines(original);
            List<String> after = lines(Files.readAllBytes(file));
            assertEquals(before.size() + 2, after.size(), String.join("\n", after));
            assertTrue(after.containsAll(before), "every original line is kept:\n" + String.join("\n", after));
            JsonNode labels = fx.api.get("/api/labels/" + web).data().path("labels");
            assertEquals("true", labels.path("docksmith.ignore").asText(), labels.toString());
            assertEquals("true", labels.path("docksmith.version-pin-major").asText());
            assertEquals("yes", labels.path("com.example.keep").asText());
            assertEquals(DEMO + ":1.0.0", imageOf(web));

            JsonNode removed = fx.await(fx.start("/api/labels/remove",
                    "{\"container\":\"" + web + "\",\"label_names\":[\"docksmith.ignore\",\"docksmith.version-pin-major\"]}"));
            assertEquals("complete", removed.path("status").asText(), removed.toString());
            assertArrayEquals(original, Files.readAllBytes(file), "removing what was set gives back the same bytes");
            assertTrue(fx.api.get("/api/labels/" + web).data().path("labels").path("docksmith.ignore").isMissingNode());
        } finally {
            composeDown(flavour, project, file);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"v2", "v1"})
    void aBatchRunsStackByStackInDependsOnOrder(String flavour, @TempDir Path dir) throws Exception {
        String first = RealEngine.unique("bta" + flavour);
        String second = RealEngine.unique("btb" + flavour);
        Path a = Files.createDirectories(dir.resolve("a")).resolve("compose.yaml");
        Path b = Files.createDirectories(dir.resolve("b")).resolve("compose.yaml");
        Files.writeString(a, """
                services:
                  app:
                    image: %1$s:1.0.0
                    network_mode: none
                    depends_on: [db]
                  db:
                    image: %1$s:1.0.0
                    network_mode: none
                """.formatted(DEMO));
        Files.writeString(b, "services:\n  solo:\n    image: " + DEMO + ":1.1.0\n    network_mode: none\n");
        composeUp(flavour, first, a);
        composeUp(flavour, second, b);
        String app = containerName(flavour, first, "app");
        String db = containerName(flavour, first, "db");
        String solo = containerName(flavour, second, "solo");
        try {
            // app is named before db; db must still be recreated first, and a bad name fails alone.
            ApiClient.Response r = fx.api.post("/api/update/batch",
                    "{\"containers\":[\"" + app + "\",\"no-such-container-x\",\"" + solo + "\",\"" + db + "\"]}");
            assertEquals(200, r.status(), r.text());
            JsonNode results = r.data().path("results");
            assertEquals(4, results.size());
            assertEquals("failed", results.get(1).path("status").asText());
            List<String> ops = new ArrayList<>();
            for (int i : new int[] {0, 2, 3}) {
                assertEquals("started", results.get(i).path("status").asText(), results.toString());
                ops.add(results.get(i).path("operation_id").asText());
            }
            for (String op : ops) {
                JsonNode done = fx.await(op);
                assertEquals("complete", done.path("status").asText(), done.toString());
                assertEquals("2.1.0", done.path("new_version").asText(), done.toString());
            }
            for (String c : List.of(app, db, solo)) {
                assertEquals(DEMO + ":2.1.0", imageOf(c));
            }
            List<String> recreated = fx.events.stream()
                    .filter(e -> e.type().equals("update.progress") && "recreating".equals(e.payload().get("stage")))
                    .map(e -> String.valueOf(e.payload().get("container")))
                    .filter(n -> n.equals(app) || n.equals(db)).distinct().toList();
            assertEquals(List.of(db, app), recreated);
        } finally {
            composeDown(flavour, first, a);
            composeDown(flavour, second, b);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"v2", "v1"})
    void containersThatRestartAfterTheUpdatedOneAreRestarted(String flavour, @TempDir Path dir) throws Exception {
        String project = RealEngine.unique("ra" + flavour);
        String followerName = RealEngine.unique("follower");
        Path file = dir.resolve("compose.yaml");
        // a cycle: api also restarts after the follower; the update must not restart api's new container again
        Files.writeString(file, "services:\n  api:\n    image: " + DEMO + ":1.0.0\n    network_mode: none\n"
                + "    labels:\n      docksmith.restart-after: " + followerName + "\n");
        composeUp(flavour, project, file);
        String api = containerName(flavour, project, "api");
        String follower = RealEngine.runDemo(followerName, "--label", "docksmith.restart-after=" + api);
        String startedBefore = RealEngine.docker("inspect", "--format", "{{.State.StartedAt}}", follower);
        try {
            String op = fx.start("/api/update", "{\"container\":\"" + api + "\",\"version\":\"1.1.0\"}");
            JsonNode done = fx.await(op);
            assertEquals("complete", done.path("status").asText(), done.toString());
            assertTrue(fx.stages(op).contains("restarting_dependents"), fx.stages(op).toString());
            assertEquals(follower, done.path("details").path("dependents_restarted").asText(), "each once, api not again");
            assertNotEquals(startedBefore, RealEngine.docker("inspect", "--format", "{{.State.StartedAt}}", follower));
            assertEquals("running", stateOf(follower));
        } finally {
            RealEngine.dockerQuietly("rm", "-f", follower);
            composeDown(flavour, project, file);
        }
    }

    static List<String> lines(byte[] bytes) {
        return List.of(new String(bytes, StandardCharsets.UTF_8).split("\n", -1));
    }

    static List<Integer> differingLines(List<String> a, List<String> b) {
        assertEquals(a.size(), b.size(), "same number of lines");
        List<Integer> diff = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
            if (!a.get(i).equals(b.get(i))) {
                diff.add(i);
            }
        }
        return diff;
    }
}
