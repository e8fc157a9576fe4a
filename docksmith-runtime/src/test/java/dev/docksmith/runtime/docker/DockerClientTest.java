package dev.docksmith.runtime.docker;

import com.fasterxml.jackson.databind.JsonNode;
import dev.docksmith.api.BadRequestException;
import dev.docksmith.api.ConflictException;
import dev.docksmith.api.DockerException;
import dev.docksmith.api.NotFoundException;
import dev.docksmith.runtime.json.Json;
import dev.docksmith.runtime.docker.transport.DockerHost;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Endpoint calls and error mapping of {@link DockerClient} against a fake AF_UNIX engine. */
@Timeout(30) // a broken timeout must fail the test, not hang the build
class DockerClientTest {
    @TempDir
    Path dir;
    FakeEngine engine;
    DockerClient client;

    @BeforeEach
    void start() throws IOException {
        engine = FakeEngine.start(dir.resolve("docker.sock"));
        client = DockerClient.create(engine.host(), Duration.ofSeconds(5));
    }

    @AfterEach
    void stop() throws IOException {
        client.close();
        engine.close();
    }

    @Test
    void listsContainersWithTheNegotiatedPrefix() {
        engine.on("GET", "/containers/json", (r, x) -> x.json(200, "[{\"Id\":\"abc\",\"Names\":[\"/web\"]}]"));
        JsonNode list = client.listContainers(true);
        assertEquals("abc", list.get(0).path("Id").asText());
        assertEquals("/v1.41/containers/json?all=1", engine.lastRequest().target());
        assertEquals("1.41", client.apiVersion());
        assertEquals("unix://" + engine.socket(), client.endpoint());
    }

    @Test
    void notFoundCarriesTheActionAndTheEngineMessage() {
        engine.on("GET", "/containers/[^/]+/json", (r, x) -> x.json(404, "{\"message\":\"No such container: ghost\"}"));
        NotFoundException e = assertThrows(NotFoundException.class, () -> client.inspectContainer("ghost"));
        assertEquals("inspecting container ghost: No such container: ghost", e.getMessage());
    }

    @Test
    void conflictIsAConflictException() {
        engine.on("DELETE", "/images/.*", (r, x) -> x.json(409,
                "{\"message\":\"conflict: unable to delete 8f8ccd04268c (cannot be forced) - image is being used by running container 1a2b\"}"));
        ConflictException e = assertThrows(ConflictException.class, () -> client.removeImage("8f8ccd04268c", false));
        assertEquals("removing image 8f8ccd04268c: conflict: unable to delete 8f8ccd04268c (cannot be forced)"
                + " - image is being used by running container 1a2b", e.getMessage());
    }

    @Test
    void otherErrorsKeepTheirStatus() {
        engine.on("GET", "/info", (r, x) -> x.json(500, "{\"message\":\"boom\"}"));
        engine.on("GET", "/networks", (r, x) -> x.respond(503, Map.of("Content-Type", "text/plain"), "plain text"));
        DockerException e = assertThrows(DockerException.class, () -> client.info());
        assertEquals(500, e.status());
        assertEquals("reading engine info: boom", e.getMessage());
        DockerException text = assertThrows(DockerException.class, () -> client.listNetworks());
        assertEquals(503, text.status());
        assertEquals("listing networks: plain text", text.getMessage());
    }

    @Test
    void startAndStopTreatNotModifiedAsDone() {
        engine.on("POST", "/containers/[^/]+/start", (r, x) -> x.empty(304));
        engine.on("POST", "/containers/[^/]+/stop", (r, x) -> x.empty(304));
        client.startContainer("web");
        client.stopContainer("web", Duration.ofSeconds(3));
        assertEquals("/v1.41/containers/web/stop?t=3", engine.lastRequest().target());
    }

    @Test
    void restartMayTakeTheStopTimeoutLongerThanTheCallTimeout() throws IOException {
        try (DockerClient quick = DockerClient.create(engine.host(), Duration.ofMillis(300))) {
            engine.on("POST", "/containers/[^/]+/restart", (r, x) -> {
                Thread.sleep(900); // the engine waits for the container to stop
                x.empty(204);
            });
            quick.restartContainer("web", Duration.ofSeconds(2));
            assertEquals("/v1.41/containers/web/restart?t=2", engine.lastRequest().target());
        }
    }

    @Test
    void removeRenameCreateAndStatsSendTheirParameters() {
        engine.on("DELETE", "/containers/[^/]+", (r, x) -> x.empty(204));
        engine.on("POST", "/containers/[^/]+/rename", (r, x) -> x.empty(204));
        engine.on("POST", "/containers/create", (r, x) -> x.json(201, "{\"Id\":\"new-id\",\"Warnings\":[]}"));
        engine.on("GET", "/containers/[^/]+/stats", (r, x) -> x.json(200, "{\"cpu_stats\":{}}"));

        client.removeContainer("web", true, false);
        assertEquals("/v1.41/containers/web?force=1&v=0", engine.lastRequest().target());
        client.renameContainer("/web", "web-old");
        assertEquals("/v1.41/containers/web/rename?name=web-old", engine.lastRequest().target());
        String id = client.createContainer("web", Json.object().put("Image", "app:1"));
        assertEquals("new-id", id);
        assertEquals("/v1.41/containers/create?name=web", engine.lastRequest().target());
        assertEquals("{\"Image\":\"app:1\"}", engine.lastRequest().bodyText());
        assertTrue(client.stats("web").has("cpu_stats"));
        assertEquals("/v1.41/containers/web/stats?stream=false", engine.lastRequest().target());
    }

    @Test
    void namesAreEncodedAndCannotEscapeTheirPath() {
        engine.on("GET", "/containers/.*", (r, x) -> x.json(200, "{}"));
        engine.on("DELETE", "/images/.*", (r, x) -> x.json(200, "[]"));
        engine.on("DELETE", "/volumes/.*", (r, x) -> x.empty(204));

        client.inspectContainer("my app?x=1#frag%");
        assertEquals("/v1.41/containers/my%20app%3Fx%3D1%23frag%25/json", engine.lastRequest().target());
        client.inspectContainer("café");
        assertEquals("/v1.41/containers/caf%C3%A9/json", engine.lastRequest().target());
        client.removeImage("localhost:5000/demo/app:1.0.0", false);
        assertEquals("/v1.41/images/localhost:5000/demo/app:1.0.0?force=0", engine.lastRequest().target());
        client.removeVolume("data vol", true);
        assertEquals("/v1.41/volumes/data%20vol?force=1", engine.lastRequest().target());

        int before = engine.requests().size();
        for (String bad : new String[] {"..", ".", "../../images/json", "a/b", "", "//x"}) {
            assertThrows(BadRequestException.class, () -> client.inspectContainer(bad), bad);
            assertThrows(BadRequestException.class, () -> client.removeVolume(bad, false), bad);
            assertThrows(BadRequestException.class, () -> client.removeNetwork(bad), bad);
        }
        for (String bad : new String[] {"../x", "a/../b", "a//b", "a/.", "/a"}) {
            assertThrows(BadRequestException.class, () -> client.removeImage(bad, false), bad);
        }
        assertEquals(before, engine.requests().size(), "no rejected name reached the engine");
    }

    @Test
    void queryValuesAreEncoded() {
        engine.on("POST", "/containers/[^/]+/rename", (r, x) -> x.empty(204));
        assertThrows(BadRequestException.class, () -> client.renameContainer("a", "b/../c"));
        client.renameContainer("a", "b&force=1");
        assertEquals("/v1.41/containers/a/rename?name=b%26force%3D1", engine.lastRequest().target());
    }

    @Test
    void imagesNetworksAndVolumes() {
        engine.on("GET", "/images/json", (r, x) -> x.json(200, "[{\"Id\":\"sha256:1\"}]"));
        engine.on("GET", "/networks", (r, x) -> x.json(200, "[{\"Name\":\"bridge\"}]"));
        engine.on("DELETE", "/networks/[^/]+", (r, x) -> x.empty(204));
        engine.on("GET", "/volumes", (r, x) -> x.json(200, "{\"Volumes\":[{\"Name\":\"v1\"}],\"Warnings\":null}"));
        engine.on("DELETE", "/images/.*", (r, x) -> x.json(200, "[{\"Untagged\":\"app:1\"},{\"Deleted\":\"sha256:1\"}]"));
        assertEquals("sha256:1", client.listImages().get(0).path("Id").asText());
        assertEquals("bridge", client.listNetworks().get(0).path("Name").asText());
        client.removeNetwork("net1");
        assertEquals("/v1.41/networks/net1", engine.lastRequest().target());
        assertEquals("v1", client.listVolumes().get(0).path("Name").asText());
        assertEquals("sha256:1", client.removeImage("app:1", true).get(1).path("Deleted").asText());
        assertEquals("/v1.41/images/app:1?force=1", engine.lastRequest().target());

        engine.on("GET", "/volumes", (r, x) -> x.json(200, "{\"Volumes\":null}"));
        assertTrue(client.listVolumes().isArray());
        assertEquals(0, client.listVolumes().size());
    }

    @Test
    void pruneImagesIncludesUnusedTaggedImagesOnlyWhenAskedForAll() {
        engine.on("POST", "/[a-z]+/prune", (r, x) -> x.json(200, "{\"SpaceReclaimed\":0}"));
        client.prune("images", true);
        assertEquals("filters=" + java.net.URLEncoder.encode("{\"dangling\":[\"false\"]}", java.nio.charset.StandardCharsets.UTF_8),
                engine.lastRequest().query());
        client.prune("images", false);
        assertTrue(engine.lastRequest().query().contains("%22true%22"));
        client.prune("containers", Map.of("dev.docksmith.test", "true"));
        assertEquals("/containers/prune", engine.lastRequest().path());
        assertTrue(engine.lastRequest().query().contains("dev.docksmith.test%3Dtrue"), engine.lastRequest().query());
        client.prune("volumes", true);
        assertEquals("", engine.lastRequest().query(), "API 1.41 knows no 'all' volume filter");
        client.prune("networks", false);
        assertThrows(BadRequestException.class, () -> client.prune("system", false));
    }

    @Test
    void pruneVolumesSparesNamedVolumesUnlessAskedForAll() {
        engine.apiVersion = "1.47";
        engine.on("POST", "/volumes/prune", (r, x) -> x.json(200, "{}"));
        client.prune("volumes", false);
        assertEquals("", engine.lastRequest().query(), "named volumes hold data: only anonymous ones by default");
        client.prune("volumes", true);
        assertTrue(engine.lastRequest().query().contains("%22all%22"), engine.lastRequest().query());
    }

    @Test
    void pruneVolumesBefore142RemovesOnlyAnonymousOnesOneByOne() {
        // API 1.41: the engine's own volume prune would take the named volume "pgdata" too.
        String anonymous = "fcc05bf15c3fa5ad67052115a5d05ed77ae651262734d2a2a01d603a8d294d75";
        String nowInUse = "8ebaf4adee7146634ceabf81389722a31277f3dfc7db2d0fcc358dae415ea5c4";
        engine.on("POST", "/volumes/prune", (r, x) -> x.json(200,
                "{\"VolumesDeleted\":[\"pgdata\",\"" + anonymous + "\"],\"SpaceReclaimed\":5000}"));
        engine.on("GET", "/volumes", (r, x) -> x.json(200, "{\"Volumes\":[{\"Name\":\"pgdata\"},{\"Name\":\""
                + anonymous + "\"},{\"Name\":\"" + nowInUse + "\"}],\"Warnings\":null}"));
        engine.on("GET", "/system/df", (r, x) -> x.json(200, "{\"Volumes\":["
                + "{\"Name\":\"pgdata\",\"UsageData\":{\"Size\":4000,\"RefCount\":0}},"
                + "{\"Name\":\"" + anonymous + "\",\"UsageData\":{\"Size\":1000,\"RefCount\":0}},"
                + "{\"Name\":\"" + nowInUse + "\",\"UsageData\":{\"Size\":7,\"RefCount\":0}}]}"));
        engine.on("DELETE", "/volumes/.*", (r, x) -> {
            if (r.path().endsWith(nowInUse)) { // a container took it between the list and the removal
                x.json(409, "{\"message\":\"remove " + nowInUse + ": volume is in use - [abc]\"}");
            } else {
                x.empty(204);
            }
        });

        JsonNode report = client.prune("volumes", false);

        assertEquals("[\"" + anonymous + "\"]", report.path("VolumesDeleted").toString());
        assertEquals(1000, report.path("SpaceReclaimed").asLong());
        List<String> calls = engine.apiRequests().stream().map(r -> r.method() + " " + r.path()).toList();
        assertEquals(List.of("GET /volumes", "GET /system/df", "DELETE /volumes/" + anonymous,
                "DELETE /volumes/" + nowInUse), calls);
        assertEquals("filters=" + java.net.URLEncoder.encode("{\"dangling\":[\"true\"]}", java.nio.charset.StandardCharsets.UTF_8),
                engine.apiRequests().get(0).query());
    }

    @Test
    void pullStreamsProgressAndSplitsTheReference() {
        engine.on("POST", "/images/create", (r, x) -> {
            x.raw("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n");
            for (String line : new String[] {"{\"status\":\"Pulling from demo/app\"}\r\n",
                    "{\"status\":\"Downloading\",\"progress\":\"[=>  ]\"}\r\n",
                    "{\"status\":\"Status: Downloaded newer image\"}\r\n"}) {
                x.raw(Integer.toHexString(line.length()) + "\r\n" + line + "\r\n");
            }
            x.raw("0\r\n\r\n");
        });
        List<String> statuses = new ArrayList<>();
        client.pullImage("localhost:5000/demo/app:1.1.0", line -> statuses.add(line.path("status").asText()));
        assertEquals(List.of("Pulling from demo/app", "Downloading", "Status: Downloaded newer image"), statuses);
        assertEquals("fromImage=localhost%3A5000%2Fdemo%2Fapp&tag=1.1.0", engine.lastRequest().query());

        client.pullImage("localhost:5000/demo/app", null);
        assertEquals("fromImage=localhost%3A5000%2Fdemo%2Fapp&tag=latest", engine.lastRequest().query());
        client.pullImage("app:1@sha256:abc", "c2VjcmV0", null);
        assertEquals("fromImage=app&tag=sha256%3Aabc", engine.lastRequest().query());
        assertEquals("c2VjcmV0", engine.lastRequest().headers().get("X-Registry-Auth"));
    }

    @Test
    void pullErrorLineBecomesADockerException() {
        engine.on("POST", "/images/create", (r, x) -> {
            x.raw("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n"
                    + "{\"status\":\"Pulling\"}\n"
                    + "{\"errorDetail\":{\"message\":\"unauthorized: authentication required\"},\"error\":\"unauthorized: authentication required\"}\n");
            x.closeAfter();
        });
        DockerException e = assertThrows(DockerException.class, () -> client.pullImage("private/app:1", null));
        assertEquals("pulling image private/app:1: unauthorized: authentication required", e.getMessage());
    }

    @Test
    void pullThatStallsMidStreamIsAbortedAfterTheCallTimeout() {
        engine.on("POST", "/images/create", (r, x) -> {
            x.raw("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n");
            String line = "{\"status\":\"Downloading\",\"id\":\"a1b2\"}\r\n";
            x.raw(Integer.toHexString(line.length()) + "\r\n" + line + "\r\n");
            Thread.sleep(20_000); // the registry stopped sending; so does the engine
        });
        try (DockerClient quick = DockerClient.create(engine.host(), Duration.ofMillis(500))) {
            List<String> statuses = new ArrayList<>();
            DockerException e = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> assertThrows(DockerException.class,
                    () -> quick.pullImage("localhost:5000/demo/app:1.1.0", line -> statuses.add(line.path("status").asText()))));
            assertEquals(List.of("Downloading"), statuses);
            assertEquals("pulling image localhost:5000/demo/app:1.1.0: no progress from the engine within 500 ms,"
                    + " gave up (the registry or the engine stalled)", e.getMessage());
            assertFalse(e.unreachable(), "the engine answered; its pull stalled");
        }
    }

    @Test
    void pullThatStallsBeforeItsFirstLineIsAbortedToo() {
        // dockerd sends the status line with the first progress line, after the registry gave the manifest.
        engine.on("POST", "/images/create", (r, x) -> Thread.sleep(20_000));
        try (DockerClient quick = DockerClient.create(engine.host(), Duration.ofMillis(500))) {
            DockerException e = assertTimeoutPreemptively(Duration.ofSeconds(5),
                    () -> assertThrows(DockerException.class, () -> quick.pullImage("demo/app:2", null)));
            assertTrue(e.getMessage().startsWith("pulling image demo/app:2: no progress from the engine within 500 ms"),
                    e.getMessage());
        }
    }

    @Test
    void pullThatKeepsProgressingMayTakeLongerThanTheCallTimeout() {
        engine.on("POST", "/images/create", (r, x) -> {
            x.raw("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n");
            for (int i = 0; i < 6; i++) {
                String line = "{\"status\":\"Downloading\",\"progress\":\"" + i + "\"}\r\n";
                x.raw(Integer.toHexString(line.length()) + "\r\n" + line + "\r\n");
                Thread.sleep(200);
            }
            x.raw("0\r\n\r\n");
        });
        try (DockerClient quick = DockerClient.create(engine.host(), Duration.ofMillis(500))) {
            List<JsonNode> lines = new ArrayList<>();
            quick.pullImage("demo/app:2", lines::add); // 1.2 s in all, never 500 ms without a line
            assertEquals(6, lines.size());
        }
    }

    @Test
    void engineUnreachableNamesTheSocket() {
        Path missing = dir.resolve("nobody-here.sock");
        try (DockerClient absent = DockerClient.create(DockerHost.unix(missing), Duration.ofSeconds(1))) {
            DockerException e = assertThrows(DockerException.class, () -> absent.listContainers(false));
            assertEquals(0, e.status());
            assertTrue(e.unreachable());
            assertTrue(e.getMessage().startsWith("listing containers: Docker engine unreachable at unix://" + missing + ": "),
                    e.getMessage());
            assertTrue(e.getMessage().contains("no such socket file"), e.getMessage());
        }
    }

    @Test
    void socketFileWithoutListenerIsRefused() throws IOException {
        Path sock = dir.resolve("dead.sock");
        // A socket file left behind by a daemon that died: bound once, nobody listening any more.
        java.nio.channels.ServerSocketChannel listener = java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX);
        listener.bind(java.net.UnixDomainSocketAddress.of(sock));
        listener.close();
        assertTrue(Files.exists(sock));
        try (DockerClient dead = DockerClient.create(DockerHost.unix(sock), Duration.ofSeconds(1))) {
            DockerException e = assertThrows(DockerException.class, dead::version);
            assertEquals(0, e.status());
            assertTrue(e.getMessage().contains("Docker engine unreachable at unix://" + sock), e.getMessage());
        }
    }

    @Test
    void readTimeoutIsAnUnreachableEngineAndTheClientRecovers() throws IOException {
        try (DockerClient quick = DockerClient.create(engine.host(), Duration.ofMillis(300))) {
            engine.on("GET", "/info", (r, x) -> Thread.sleep(5_000));
            engine.on("GET", "/version", (r, x) -> x.json(200, "{\"Version\":\"v\"}"));
            long start = System.nanoTime();
            DockerException e = assertThrows(DockerException.class, quick::info);
            assertTrue(System.nanoTime() - start < 3_000_000_000L, "timeout took too long");
            assertEquals(0, e.status());
            assertTrue(e.getMessage().contains("no answer within 300 ms"), e.getMessage());
            assertEquals("v", quick.version().path("Version").asText());
        }
    }

    @Test
    void droppedMidBodyIsAClearErrorAndTheNextCallWorks() {
        engine.on("GET", "/containers/json", (r, x) -> {
            x.raw("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n[{\"Id\":");
            x.drop();
        });
        DockerException e = assertThrows(DockerException.class, () -> client.listContainers(true));
        assertEquals(0, e.status());
        assertTrue(e.getMessage().startsWith("listing containers: connection to Docker engine at unix://"), e.getMessage());
        assertTrue(e.getMessage().contains("7 of 500"), e.getMessage());
        engine.on("GET", "/containers/json", (r, x) -> x.json(200, "[]"));
        assertEquals(0, client.listContainers(true).size());
    }

    @Test
    void recoversWhenTheEngineComesBackAsAnotherVersion() throws Exception {
        engine.on("GET", "/containers/json", (r, x) -> x.json(200, "[]"));
        client.listContainers(false);
        assertEquals("1.41", client.apiVersion());
        engine.close();

        DockerException down = assertThrows(DockerException.class, () -> client.listContainers(false));
        assertEquals(0, down.status());

        engine = FakeEngine.start(engine.socket());
        engine.apiVersion = "1.52";
        engine.minVersion = "1.44";
        engine.on("GET", "/containers/json", (r, x) -> x.json(200, "[{\"Id\":\"back\"}]"));
        assertEquals("back", client.listContainers(false).get(0).path("Id").asText());
        assertEquals("1.47", client.apiVersion());
        assertEquals("/v1.47/containers/json?all=0", engine.lastRequest().target());
    }

    @Test
    void eventsAreDeliveredAsTheyArriveUntilClosed() throws Exception {
        java.util.concurrent.CountDownLatch firstSeen = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        engine.on("GET", "/events", (r, x) -> {
            x.raw("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n");
            String event = "{\"Type\":\"container\",\"Action\":\"start\",\"Actor\":{\"ID\":\"abc\"}}\n";
            x.raw(Integer.toHexString(event.length()) + "\r\n" + event + "\r\n");
            release.await(); // keep the stream open, as the engine does
        });
        List<JsonNode> events = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<Throwable> ends = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.io.Closeable stream = client.streamEvents(e -> {
            events.add(e);
            firstSeen.countDown();
        }, ends::add);
        assertTrue(firstSeen.await(5, java.util.concurrent.TimeUnit.SECONDS), "event arrived while the stream is open");
        assertEquals("start", events.get(0).path("Action").asText());
        stream.close();
        release.countDown();
        Thread.sleep(200);
        assertEquals(List.of(), ends, "onEnd is not called after close()");
        assertEquals(1, events.size());
    }

    @Test
    void eventStreamEndingByItselfIsReported() throws Exception {
        engine.on("GET", "/events", (r, x) -> {
            x.raw("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n{\"Action\":\"die\"}\n");
            x.drop();
        });
        java.util.concurrent.CompletableFuture<Throwable> end = new java.util.concurrent.CompletableFuture<>();
        List<JsonNode> events = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.io.Closeable stream = client.streamEvents(events::add, end::complete);
        try {
            Throwable why = end.get(5, java.util.concurrent.TimeUnit.SECONDS);
            assertTrue(why instanceof DockerException, String.valueOf(why));
            assertEquals(0, ((DockerException) why).status());
            assertEquals("die", events.get(0).path("Action").asText());
        } finally {
            stream.close();
        }
    }

    @Test
    void eventsFromAnUnreachableEngineFailAtOnce() {
        try (DockerClient absent = DockerClient.create(DockerHost.unix(dir.resolve("none.sock")), Duration.ofSeconds(1))) {
            DockerException e = assertThrows(DockerException.class, () -> absent.streamEvents(x -> { }, x -> { }));
            assertTrue(e.unreachable());
        }
    }
}
