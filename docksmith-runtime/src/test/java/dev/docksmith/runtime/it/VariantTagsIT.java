package dev.docksmith.runtime.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.docksmith.api.Event;
import dev.docksmith.runtime.check.CheckResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static dev.docksmith.runtime.it.UpdateFixture.DEMO;
import static dev.docksmith.runtime.it.UpdateFixture.imageOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 11, item 1, on the real engine and the real local registry: a container on a variant tag
 * ({@code 1.0.0-alpine}) is reported its own variant's tags, and sending the reported
 * {@code latest_version} back keeps it in that variant, while the bare {@code 1.1.0}, which exists as
 * another image (here the demo's 2.0.0, standing for Debian), is refused with the tag meant.
 */
class VariantTagsIT {
    static final String REPO = "localhost:5000/docksmith-it/" + RealEngine.unique("variant");
    /** Repository tag, and the demo image it is made of: the bare 1.1.0 is of other content, like another family. */
    static final List<String[]> TAGS = List.of(
            new String[] {"1.0.0-alpine", DEMO + ":1.0.0"},
            new String[] {"1.1.0-alpine", DEMO + ":1.1.0"},
            new String[] {"1.1.0", DEMO + ":2.0.0"});

    static UpdateFixture fx;
    @TempDir
    static Path scripts;

    /** Where the pre-update script writes the versions it was given, one line per run. */
    static Path seen;

    @BeforeAll
    static void start() throws Exception {
        seen = scripts.resolve("seen.txt");
        Path record = scripts.resolve("record.sh");
        Files.writeString(record, "#!/bin/sh\necho \"$CURRENT_VERSION $TARGET_VERSION\" >> '" + seen + "'\n");
        Files.setPosixFilePermissions(record, PosixFilePermissions.fromString("rwxr-xr-x"));
        fx = new UpdateFixture(scripts);
        for (String[] t : TAGS) {
            RealEngine.docker("tag", t[1], REPO + ":" + t[0]);
            RealEngine.docker("push", REPO + ":" + t[0]);
        }
    }

    @AfterAll
    static void stop() {
        if (fx != null) {
            fx.close();
        }
        for (String[] t : TAGS) {
            RealEngine.dockerQuietly("rmi", REPO + ":" + t[0]); // untags only: the images are the demo's
        }
    }

    static String runOnAlpine(String prefix, String... labels) {
        String name = RealEngine.unique(prefix);
        List<String> args = new java.util.ArrayList<>(List.of("run", "-d", "--name", name, "--label", RealEngine.TEST_LABEL,
                "--network", "none"));
        for (String label : labels) {
            args.addAll(List.of("--label", label));
        }
        args.add(REPO + ":1.0.0-alpine");
        RealEngine.docker(args.toArray(String[]::new));
        return name;
    }

    @Test
    void theReportedLatestVersionSentBackKeepsTheVariantAndABareVersionIsRefused() throws Exception {
        String name = runOnAlpine("variant", "docksmith.pre-update-check=record.sh");
        try {
            JsonNode recheck = fx.api.get("/api/container/" + name + "/recheck").data();
            assertEquals("UPDATE_AVAILABLE", recheck.path("status").asText(), recheck.toString());
            assertEquals("1.0.0-alpine", recheck.path("current_version").asText(), recheck.toString());
            assertEquals("1.1.0-alpine", recheck.path("latest_version").asText(), recheck.toString());
            assertEquals("1.1.0-alpine", recheck.path("latest_tag").asText(), recheck.toString());
            assertEquals("1.0.0", recheck.path("current_version_parsed").asText(), recheck.toString());
            assertEquals("1.1.0", recheck.path("latest_version_parsed").asText(), recheck.toString());

            JsonNode checked = ContainerApiIT.find(fx.api.get("/api/check").data().path("containers"),
                    c -> c.path("name").asText().equals(name));
            assertEquals("1.0.0-alpine", checked.path("current_version").asText(), checked.toString());
            assertEquals("1.1.0-alpine", checked.path("latest_version").asText(), checked.toString());

            CheckResult embedded = fx.docksmith.check(name);
            assertEquals("1.0.0-alpine", embedded.currentVersion(), "the embedding API says the same");
            assertEquals("1.1.0-alpine", embedded.latestVersion());

            // The bare version exists in the registry, as another image: refused, nothing changes.
            int operationsBefore = fx.api.get("/api/operations").data().size();
            ApiClient.Response bare = fx.api.post("/api/update", "{\"container\":\"" + name + "\",\"version\":\"1.1.0\"}");
            assertEquals(400, bare.status(), bare.text());
            assertEquals("BAD_REQUEST", bare.errorCode(), bare.text());
            assertTrue(bare.errorMessage().contains("did you mean 1.1.0-alpine?"), bare.text());
            assertThrows(dev.docksmith.api.BadRequestException.class, () -> fx.docksmith.update(name, "1.1.0"),
                    "the embedding API refuses it too");
            assertEquals(operationsBefore, fx.api.get("/api/operations").data().size(), "a refused request records nothing");
            assertEquals(REPO + ":1.0.0-alpine", imageOf(name));

            // What the contract suggests: send latest_version back.
            String latest = recheck.path("latest_version").asText();
            ApiClient.Response started = fx.api.post("/api/update", "{\"container\":\"" + name + "\",\"version\":\"" + latest + "\"}");
            assertEquals(200, started.status(), started.text());
            String op = started.data().path("operation_id").asText();
            JsonNode done = fx.await(op); // first: a container left mid-update would outlive the test
            assertEquals("1.0.0-alpine", started.data().path("old_version").asText(), started.text());
            assertEquals("1.1.0-alpine", started.data().path("new_version").asText(), started.text());
            assertEquals("complete", done.path("status").asText(), done.toString());
            assertEquals(REPO + ":1.1.0-alpine", imageOf(name), "the variant is kept");
            assertEquals("demo 1.1.0", RealEngine.docker("exec", name, "cat", "/www/index.html"));
            assertEquals("1.0.0-alpine", done.path("old_version").asText(), done.toString());
            assertEquals("1.1.0-alpine", done.path("new_version").asText(), done.toString());
            Event updated = fx.events.stream()
                    .filter(e -> e.type().equals("container.updated") && op.equals(e.payload().get("operation_id")))
                    .findFirst().orElseThrow(() -> new AssertionError("no container.updated event for " + op));
            assertEquals("1.0.0-alpine", updated.payload().get("old_version"), updated.payload().toString());
            assertEquals("1.1.0-alpine", updated.payload().get("new_version"), updated.payload().toString());
            // The pre-update script ran for the checks and for the update, and was told the tags each time.
            List<String> told = Files.readAllLines(seen).stream().distinct().toList();
            assertEquals(List.of("1.0.0-alpine 1.1.0-alpine"), told, "CURRENT_VERSION TARGET_VERSION");

            JsonNode after = fx.api.get("/api/container/" + name + "/recheck").data();
            assertEquals("UP_TO_DATE", after.path("status").asText(), after.toString());
            assertEquals("1.1.0-alpine", after.path("current_version").asText(), after.toString());
            assertEquals("1.1.0-alpine", after.path("latest_version").asText(), after.toString());

            JsonNode history = awaitHistory(name, 2);
            JsonNode firstCheck = null;
            for (JsonNode h : history) {
                if (h.path("type").asText().equals("check") && h.path("status").asText().equals("UPDATE_AVAILABLE")) {
                    firstCheck = h;
                }
            }
            assertTrue(firstCheck != null, history.toString());
            assertEquals("1.0.0-alpine", firstCheck.path("current_version").asText(), firstCheck.toString());
            assertEquals("1.1.0-alpine", firstCheck.path("latest_version").asText(), firstCheck.toString());
        } finally {
            RealEngine.dockerQuietly("rm", "-f", name);
        }
    }

    @Test
    void aBatchUpdateMovesWithinTheVariantAndSaysSo() {
        String name = runOnAlpine("variant-batch");
        try {
            ApiClient.Response r = fx.api.post("/api/update/batch", "{\"containers\":[\"" + name + "\"]}");
            assertEquals(200, r.status(), r.text());
            JsonNode result = r.data().path("results").get(0);
            assertEquals("started", result.path("status").asText(), r.text());
            JsonNode done = fx.await(result.path("operation_id").asText()); // first: see above
            assertEquals("1.0.0-alpine", result.path("old_version").asText(), r.text());
            assertEquals("1.1.0-alpine", result.path("new_version").asText(), r.text());
            assertEquals("complete", done.path("status").asText(), done.toString());
            assertEquals("1.1.0-alpine", done.path("new_version").asText(), done.toString());
            assertEquals(REPO + ":1.1.0-alpine", imageOf(name));
        } finally {
            RealEngine.dockerQuietly("rm", "-f", name);
        }
    }

    /** History is written after the reply, off the request path: waits until it has {@code size} entries. */
    static JsonNode awaitHistory(String container, int size) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        JsonNode history = fx.api.get("/api/history?container=" + container).data();
        while (history.size() < size && System.nanoTime() < deadline) {
            UpdateFixture.sleep(100);
            history = fx.api.get("/api/history?container=" + container).data();
        }
        return history;
    }
}
