package dev.docksmith.runtime.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.docksmith.runtime.it.UpdateFixture.DEMO;
import static dev.docksmith.runtime.it.UpdateFixture.composeDown;
import static dev.docksmith.runtime.it.UpdateFixture.composeUp;
import static dev.docksmith.runtime.it.UpdateFixture.containerName;
import static dev.docksmith.runtime.it.UpdateFixture.imageOf;
import static dev.docksmith.runtime.it.UpdateFixture.stateOf;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A standalone container recreated on a new image with its configuration kept; fixing a compose
 * mismatch; and every kind of bad update request, each refused before anything changes.
 */
class UpdateEdgesIT {
    static UpdateFixture fx;
    @TempDir
    static Path scripts;

    @BeforeAll
    static void start() {
        fx = new UpdateFixture(scripts);
    }

    @AfterAll
    static void stop() {
        if (fx != null) {
            fx.close();
        }
    }

    @Test
    void aStandaloneContainerKeepsItsConfigurationAcrossAnUpdateAndARollback() {
        String name = RealEngine.unique("solo");
        String network = RealEngine.unique("solo-net");
        String volume = RealEngine.unique("solo-data");
        RealEngine.docker("network", "create", "--internal", network);
        RealEngine.docker("run", "-d", "--name", name, "--label", RealEngine.TEST_LABEL, "-e", "GREETING=hello world",
                "--label", "com.example.team=ops", "--restart", "unless-stopped", "--memory", "64m", "--cpus", "0.5",
                "--hostname", "solo-host", "--network", network, "--network-alias", "solo-alias",
                "-p", "127.0.0.1::8080", "-v", volume + ":/data", "--workdir", "/www", "--entrypoint", "/bin/sh",
                DEMO + ":1.0.0", "-c", "trap 'exit 0' TERM; httpd -f -p 8080 -h /www & wait");
        String format = "{{json .Config.Env}}|{{json .Config.Cmd}}|{{json .Config.Entrypoint}}|{{.Config.WorkingDir}}"
                + "|{{json .Config.Labels}}|{{json .HostConfig.RestartPolicy}}|{{.HostConfig.Memory}}|{{.HostConfig.NanoCpus}}"
                + "|{{.Config.Hostname}}|{{.HostConfig.NetworkMode}}|{{json .HostConfig.PortBindings}}"
                + "|{{range .Mounts}}{{.Type}} {{.Name}} {{.Destination}} {{.RW}};{{end}}"
                + "|{{range $n, $e := .NetworkSettings.Networks}}{{$n}}{{range $e.Aliases}} {{.}}{{end}};{{end}}";
        String before = withoutShortId(RealEngine.docker("inspect", "--format", format, name), name);
        try {
            String op = fx.start("/api/update", "{\"container\":\"" + name + "\",\"version\":\"1.1.0\"}");
            JsonNode done = fx.await(op);
            assertEquals("complete", done.path("status").asText(), done.toString());
            assertEquals(DEMO + ":1.1.0", imageOf(name));
            assertEquals("running", stateOf(name));
            assertEquals(stripVersionLabel(before),
                    stripVersionLabel(withoutShortId(RealEngine.docker("inspect", "--format", format, name), name)));
            assertEquals("1.1.0", RealEngine.docker("inspect", "--format",
                    "{{index .Config.Labels \"org.opencontainers.image.version\"}}", name), "image labels follow the new image");
            assertEquals("", RealEngine.docker("ps", "-aq", "--filter", "name=" + name + "-docksmith-old"),
                    "the kept old container is removed once the new one passed the health gate");

            JsonNode back = fx.await(fx.start("/api/rollback", "{\"operation_id\":\"" + op + "\"}"));
            assertEquals("complete", back.path("status").asText(), back.toString());
            assertEquals(DEMO + ":1.0.0", imageOf(name));
            assertEquals(before, withoutShortId(RealEngine.docker("inspect", "--format", format, name), name));
        } finally {
            RealEngine.dockerQuietly("rm", "-f", name);
            RealEngine.dockerQuietly("network", "rm", network);
            RealEngine.dockerQuietly("volume", "rm", volume);
        }
    }

    /** The engine adds each container's own short id to its aliases; a new container has a new one. */
    private static String withoutShortId(String inspected, String container) {
        String shortId = RealEngine.docker("inspect", "--format", "{{.Id}}", container).substring(0, 12);
        return inspected.replace(" " + shortId, "");
    }

    @Test
    void aRollbackGoesByDigestWhenTheOldTagHasMovedSince() {
        String repo = "localhost:5000/docksmith-it/" + RealEngine.unique("moved");
        String name = RealEngine.unique("moved");
        try {
            for (String[] t : new String[][] {{"1.0.0", "1.0.0"}, {"1.1.0", "1.1.0"}}) {
                RealEngine.docker("tag", DEMO + ":" + t[0], repo + ":" + t[1]);
                RealEngine.docker("push", repo + ":" + t[1]);
            }
            // The image is the demo's, so it carries digests of other repositories too: take this one's.
            String oldDigest = RealEngine.docker("inspect", "--format", "{{range .RepoDigests}}{{println .}}{{end}}", repo + ":1.0.0")
                    .lines().filter(d -> d.startsWith(repo + "@")).findFirst().orElseThrow();
            RealEngine.docker("run", "-d", "--name", name, "--label", RealEngine.TEST_LABEL, "--network", "none", repo + ":1.0.0");
            String op = fx.start("/api/update", "{\"container\":\"" + name + "\",\"version\":\"1.1.0\"}");
            assertEquals("complete", fx.await(op).path("status").asText());

            // Someone re-pushes 1.0.0 as another image: rolling back by tag would not bring the old one back.
            RealEngine.docker("tag", DEMO + ":2.0.0", repo + ":1.0.0");
            RealEngine.docker("push", repo + ":1.0.0");
            JsonNode back = fx.await(fx.start("/api/rollback", "{\"operation_id\":\"" + op + "\"}"));
            assertEquals("complete", back.path("status").asText(), back.toString());
            assertEquals(oldDigest, imageOf(name), "pinned to the digest it ran before");
            assertEquals("demo 1.0.0", RealEngine.docker("exec", name, "cat", "/www/index.html"));
        } finally {
            RealEngine.dockerQuietly("rm", "-f", name);
            RealEngine.dockerQuietly("rmi", repo + ":1.0.0", repo + ":1.1.0"); // untags only: the images are the demo's
        }
    }

    @Test
    void fixComposeMismatchRunsWhatTheFileDeclares(@TempDir Path dir) throws Exception {
        String project = RealEngine.unique("fix");
        Path file = dir.resolve("compose.yaml");
        Files.writeString(file, "services:\n  web:\n    image: " + DEMO + ":1.0.0\n    network_mode: none\n");
        composeUp("v2", project, file);
        String web = containerName("v2", project, "web");
        try {
            Files.writeString(file, "services:\n  web:\n    image: " + DEMO + ":1.1.0\n    network_mode: none\n");
            byte[] edited = Files.readAllBytes(file);
            ApiClient.Response r = fx.api.post("/api/fix-compose-mismatch/" + web);
            assertEquals(200, r.status(), r.text());
            assertTrue(r.json().path("success").asBoolean());
            JsonNode done = fx.await(r.data().path("operation_id").asText());
            assertEquals("complete", done.path("status").asText(), done.toString());
            assertEquals(DEMO + ":1.1.0", imageOf(web));
            assertArrayEquals(edited, Files.readAllBytes(file), "the file is the truth here; it is not edited");

            Files.writeString(file, "services:\n  web:\n    build: .\n    network_mode: none\n");
            ApiClient.Response build = fx.api.post("/api/fix-compose-mismatch/" + web);
            assertEquals(400, build.status(), build.text());
            assertTrue(!build.json().path("success").asBoolean());
            assertEquals("failed to extract image from compose file: no image key found for service web", build.errorMessage());
        } finally {
            Files.writeString(file, "services:\n  web:\n    image: " + DEMO + ":1.1.0\n    network_mode: none\n");
            composeDown("v2", project, file);
        }
    }

    @Test
    void badRequestsAreRefusedBeforeAnythingChanges(@TempDir Path dir) throws Exception {
        String project = RealEngine.unique("bad");
        Path file = dir.resolve("compose.yaml");
        Files.writeString(file, """
                services:
                  web:
                    image: %1$s:1.0.0
                    network_mode: none
                    stop_grace_period: 1s
                  db:
                    image: %1$s:1.0.0
                    network_mode: none
                """.formatted(DEMO));
        byte[] original = Files.readAllBytes(file);
        composeUp("v2", project, file);
        String web = containerName("v2", project, "web");
        String db = containerName("v2", project, "db");
        String ignored = RealEngine.runDemo(RealEngine.unique("ignored"), "--label", "docksmith.ignore=true");
        try {
            int operationsBefore = fx.api.get("/api/operations").data().size();
            expect(404, "NOT_FOUND", "/api/update", "{\"container\":\"no-such-container-q\"}");
            expect(400, "BAD_REQUEST", "/api/update", "{\"container\":\"" + web + "\",\"version\":\"9.9.9\"}");
            expect(400, "BAD_REQUEST", "/api/update", "{\"container\":\"" + web + "\",\"version\":\"../1\"}");
            expect(400, "BAD_REQUEST", "/api/update", "{\"container\":\"" + web + "\",\"script\":\"../../../bin/sh\"}");
            expect(400, "BAD_REQUEST", "/api/update", "{\"container\":\"" + web + "\",\"force\":\"yes\"}");
            expect(400, "BAD_REQUEST", "/api/update", "{\"container\":42}");
            ApiClient.Response ign = expect(400, "BAD_REQUEST", "/api/update", "{\"container\":\"" + ignored + "\",\"version\":\"1.1.0\"}");
            assertTrue(ign.errorMessage().contains("ignored"), ign.text());
            expect(404, "NOT_FOUND", "/api/rollback", "{\"operation_id\":\"op_nope\"}");
            expect(400, "BAD_REQUEST", "/api/labels/set", "{\"container\":\"" + web + "\",\"labels\":{\"bad key!\":\"x\"}}");
            expect(400, "BAD_REQUEST", "/api/labels/remove", "{\"container\":\"" + web + "\",\"labels\":\"docksmith.ignore\"}");
            expect(400, "BAD_REQUEST", "/api/update/batch", "{\"containers\":[]}");
            assertEquals(operationsBefore, fx.api.get("/api/operations").data().size(), "refused requests record nothing");
            assertArrayEquals(original, Files.readAllBytes(file));
            assertEquals(DEMO + ":1.0.0", imageOf(web));

            // A second update of the same stack waits for the first, visibly.
            String first = fx.start("/api/update", "{\"container\":\"" + web + "\",\"version\":\"1.1.0\"}");
            String second = fx.start("/api/update", "{\"container\":\"" + db + "\",\"version\":\"1.1.0\"}");
            JsonNode queued = fx.api.get("/api/operations?status=queued").data();
            assertTrue(queued.toString().contains(second), "second update queued behind the first: " + queued);
            assertEquals("complete", fx.await(first).path("status").asText());
            assertEquals("complete", fx.await(second).path("status").asText());
            assertEquals(List.of(DEMO + ":1.1.0", DEMO + ":1.1.0"), List.of(imageOf(web), imageOf(db)));
            // Not merely listed as queued: the second began only once the first had ended.
            assertTrue(fx.eventIndex(first, "complete") < fx.eventIndex(second, "validating"),
                    "second validated before the first completed: " + fx.stages(first) + " / " + fx.stages(second));
        } finally {
            RealEngine.dockerQuietly("rm", "-f", ignored);
            composeDown("v2", project, file);
        }
    }

    @Test
    void aComposeFileThatCannotBeWrittenFailsTheUpdateBeforeThePull(@TempDir Path dir) throws Exception {
        String project = RealEngine.unique("ro");
        Path file = dir.resolve("compose.yaml");
        Files.writeString(file, "services:\n  web:\n    image: " + DEMO + ":1.0.0\n    network_mode: none\n");
        byte[] original = Files.readAllBytes(file);
        composeUp("v2", project, file);
        String web = containerName("v2", project, "web");
        // root ignores permission bits; the immutable attribute stops even root, like a read-only mount.
        RealEngine.Result immutable = RealEngine.run(List.of("chattr", "+i", dir.toString()));
        assertEquals(0, immutable.exit(), "chattr +i is needed to make the file unwritable for root: " + immutable.output());
        try {
            String op = fx.start("/api/update", "{\"container\":\"" + web + "\",\"version\":\"1.1.0\"}");
            JsonNode done = fx.await(op);
            assertEquals("failed", done.path("status").asText(), done.toString());
            assertTrue(done.path("error").asText().contains(dir.toString()), "names the file or its directory: " + done);
            assertTrue(!fx.stages(op).contains("pulling_image"), fx.stages(op).toString());
            assertArrayEquals(original, Files.readAllBytes(file));
            assertEquals(DEMO + ":1.0.0", imageOf(web));
        } finally {
            RealEngine.run(List.of("chattr", "-i", dir.toString()));
            composeDown("v2", project, file);
        }
    }

    private static ApiClient.Response expect(int status, String code, String path, String body) {
        ApiClient.Response r = fx.api.post(path, body);
        assertEquals(status, r.status(), path + " " + body + " -> " + r.text());
        assertEquals(code, r.errorCode(), r.text());
        return r;
    }

    /** The demo images label their own version, which rightly changes with the image. */
    private static String stripVersionLabel(String inspect) {
        return inspect.replaceAll("\"org.opencontainers.image.version\":\"[^\"]*\",?", "");
    }
}
