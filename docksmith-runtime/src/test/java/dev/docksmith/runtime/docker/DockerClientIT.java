package dev.docksmith.runtime.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.docksmith.api.ConflictException;
import dev.docksmith.api.DockerException;
import dev.docksmith.api.NotFoundException;
import dev.docksmith.runtime.json.Json;
import dev.docksmith.runtime.docker.transport.DockerHost;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.Closeable;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@link DockerClient} against the real engine at /var/run/docker.sock. Every container, tag, network
 * and volume made here has a unique name and the label {@code dev.docksmith.test=true}, and is removed
 * afterwards; shared images are only read, tagged under a new name, or pulled again.
 */
@Timeout(120)
class DockerClientIT {
    private static final String IMAGE = "localhost:5000/docksmith/demo:1.0.0";
    private static final String TEST_LABEL = "dev.docksmith.test";
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static DockerHost host;
    private static DockerClient client;

    private final List<String> containers = new ArrayList<>();
    private final List<String> imageTags = new ArrayList<>();
    private final List<String> networks = new ArrayList<>();
    private final List<String> volumes = new ArrayList<>();

    @BeforeAll
    static void connect() {
        host = DockerHost.fromEnvironment(System.getenv()); // unix:///var/run/docker.sock unless DOCKER_HOST says otherwise
        client = DockerClient.create(host, Duration.ofSeconds(30));
        try {
            client.version();
        } catch (DockerException e) {
            if (!e.unreachable()) {
                throw e;
            }
            String message = "NO DOCKER ENGINE: " + e.getMessage();
            if (Boolean.getBoolean("docksmith.requireDocker")) {
                fail(message + " (docksmith.requireDocker=true)");
            }
            System.err.println("\n!!!!! SKIPPING DockerClientIT: " + message + " !!!!!\n");
            Assumptions.abort(message);
        }
    }

    @AfterAll
    static void disconnect() {
        if (client != null) {
            client.close();
        }
    }

    @AfterEach
    void cleanUp() {
        for (String id : containers) {
            quietly(() -> client.removeContainer(id, true, true));
        }
        for (String tag : imageTags) {
            quietly(() -> client.removeImage(tag, false));
        }
        for (String id : networks) {
            quietly(() -> client.removeNetwork(id));
        }
        for (String name : volumes) {
            quietly(() -> client.removeVolume(name, true));
        }
    }

    private static void quietly(Runnable action) {
        try {
            action.run();
        } catch (RuntimeException ignored) {
            // already gone
        }
    }

    private static String unique(String what) {
        return "docksmith-it-" + RUN + "-" + what + "-" + UUID.randomUUID().toString().substring(0, 6);
    }

    /** A container that prints to stdout and stderr, then idles until told to stop. */
    private String create(String name, boolean tty, String script) {
        ObjectNode body = Json.object().put("Image", IMAGE).put("Tty", tty);
        body.putArray("Cmd").add("sh").add("-c").add(script);
        body.putObject("Labels").put(TEST_LABEL, "true").put(TEST_LABEL + ".run", RUN);
        // The default bridge cannot attach interfaces on the test machines; no network is needed here.
        body.putObject("HostConfig").put("NetworkMode", "none");
        String id = client.createContainer(name, body);
        containers.add(id);
        return id;
    }

    private static final String CHATTY = "trap 'exit 0' TERM; echo out-line; echo err-line >&2; "
            + "while true; do sleep 1; done";

    private static String waitFor(Supplier<String> logs, String expected) throws InterruptedException {
        String last = "";
        for (int i = 0; i < 100; i++) {
            last = logs.get();
            if (last.contains(expected)) {
                return last;
            }
            Thread.sleep(100);
        }
        fail("never saw \"" + expected + "\" in: " + last);
        return last;
    }

    @Test
    void negotiatesTheEnginesVersion() {
        JsonNode version = client.version();
        ApiVersion expected = ApiVersion.negotiate(ApiVersion.parse(version.path("ApiVersion").asText()),
                version.has("MinAPIVersion") ? ApiVersion.parse(version.path("MinAPIVersion").asText()) : null);
        assertEquals(expected.toString(), client.apiVersion());
        assertEquals(host.uri(), client.endpoint());
        assertFalse(client.info().path("ServerVersion").asText().isEmpty());
        System.out.println("DockerClientIT: engine API " + version.path("ApiVersion").asText() + ", speaking " + client.apiVersion());
    }

    @Test
    void containerLifecycle() throws Exception {
        String name = unique("life");
        String id = create(name, false, CHATTY);
        assertTrue(contains(client.listContainers(true), id), "created container listed with all=true");
        assertFalse(contains(client.listContainers(false), id), "not running yet");
        assertEquals("/" + name, client.inspectContainer(name).path("Name").asText());

        client.startContainer(id);
        client.startContainer(id); // already started: fine
        assertTrue(contains(client.listContainers(false), id));
        assertTrue(client.inspectContainer(id).path("State").path("Running").asBoolean());

        JsonNode stats = client.stats(name);
        assertTrue(stats.has("memory_stats") && stats.has("cpu_stats"), stats.toString());

        client.restartContainer(id, Duration.ofSeconds(2));
        assertTrue(client.inspectContainer(id).path("State").path("Running").asBoolean());

        client.stopContainer(id, Duration.ofSeconds(2));
        client.stopContainer(id, Duration.ofSeconds(2)); // already stopped: fine
        assertFalse(client.inspectContainer(id).path("State").path("Running").asBoolean());

        String renamed = unique("renamed");
        client.renameContainer(id, renamed);
        assertEquals("/" + renamed, client.inspectContainer(id).path("Name").asText());

        client.removeContainer(renamed, false, true);
        NotFoundException gone = assertThrows(NotFoundException.class, () -> client.inspectContainer(id));
        assertTrue(gone.getMessage().contains("No such container"), gone.getMessage());
    }

    @Test
    void multiplexedLogsAreDemultiplexed() throws Exception {
        String id = create(unique("logs"), false, CHATTY);
        client.startContainer(id);
        String logs = waitFor(() -> client.logs(id, null, null, false), "err-line");
        assertTrue(logs.contains("out-line\n"), logs);
        assertFalse(logs.contains("\u0000"), "frame headers were stripped: " + logs);

        String tail = client.logs(id, 1, null, false);
        assertEquals(1, tail.lines().count(), tail);
        String stamped = client.logs(id, null, null, true);
        assertTrue(stamped.matches("(?s)\\d{4}-\\d\\d-\\d\\dT.*out-line.*"), stamped);
        String future = Instant.now().plusSeconds(3600).toString();
        assertEquals("", client.logs(id, null, future, false));
        assertTrue(client.logs(id, null, "0", false).contains("out-line"));
    }

    @Test
    void ttyLogsAreRaw() throws Exception {
        String id = create(unique("tty"), true, "trap 'exit 0' TERM; echo tty-line; while true; do sleep 1; done");
        client.startContainer(id);
        String logs = waitFor(() -> client.logs(id, null, null, false), "tty-line");
        assertTrue(logs.startsWith("tty-line"), "no frame header in front: " + logs);
        assertTrue(logs.contains("\r\n"), "a TTY writes CRLF");
    }

    @Test
    void eventsReportAContainerStart() throws Exception {
        String id = create(unique("events"), false, CHATTY);
        CompletableFuture<JsonNode> started = new CompletableFuture<>();
        Closeable stream = client.streamEvents(event -> {
            if ("start".equals(event.path("Action").asText()) && id.equals(event.path("Actor").path("ID").asText())) {
                started.complete(event);
            }
        }, started::completeExceptionally);
        try {
            client.startContainer(id);
            JsonNode event = started.get(20, TimeUnit.SECONDS);
            assertEquals("container", event.path("Type").asText());
        } finally {
            stream.close();
        }
    }

    @Test
    void imagesCanBeTaggedListedAndUntagged() {
        assertTrue(client.listImages().toString().contains(IMAGE), "the demo image is there");

        String repository = "docksmith-it/" + RUN;
        String tag = UUID.randomUUID().toString().substring(0, 8);
        client.tagImage(IMAGE, repository, tag);
        imageTags.add(repository + ":" + tag);
        assertTrue(client.listImages().toString().contains(repository + ":" + tag));

        JsonNode removed = client.removeImage(repository + ":" + tag, false);
        assertEquals(repository + ":" + tag, removed.get(0).path("Untagged").asText());
        assertFalse(client.listImages().toString().contains(repository + ":" + tag));
    }

    @Test
    void removingAnImageInUseIsAConflict() {
        String id = create(unique("inuse"), false, CHATTY);
        client.startContainer(id);
        String imageId = client.inspectContainer(id).path("Image").asText();
        ConflictException e = assertThrows(ConflictException.class, () -> client.removeImage(imageId, false));
        assertTrue(e.getMessage().startsWith("removing image " + imageId + ": conflict: unable to delete"), e.getMessage());
        assertTrue(client.listImages().toString().contains(IMAGE), "nothing was removed");
    }

    @Test
    void networksAndVolumes() {
        String network = unique("net");
        String networkId = client.createNetwork(network, Map.of(TEST_LABEL, "true"));
        networks.add(networkId);
        assertTrue(client.listNetworks().toString().contains(network));
        client.removeNetwork(network);
        assertFalse(client.listNetworks().toString().contains(network));

        String volume = unique("vol");
        client.createVolume(volume, Map.of(TEST_LABEL, "true"));
        volumes.add(volume);
        assertTrue(client.listVolumes().isArray());
        assertTrue(client.listVolumes().toString().contains(volume));
        client.removeVolume(volume, false);
        assertFalse(client.listVolumes().toString().contains(volume));
    }

    @Test
    void unknownThingsAreNotFound() {
        String ghost = unique("ghost");
        assertTrue(assertThrows(NotFoundException.class, () -> client.inspectContainer(ghost)).getMessage()
                .endsWith("No such container: " + ghost));
        assertThrows(NotFoundException.class, () -> client.stopContainer(ghost, Duration.ofSeconds(1)));
        assertThrows(NotFoundException.class, () -> client.logs(ghost, null, null, false));
        assertTrue(assertThrows(NotFoundException.class, () -> client.removeImage("docksmith-it/" + ghost + ":1", false))
                .getMessage().contains("No such image"));
        assertThrows(NotFoundException.class, () -> client.removeNetwork(ghost));
        assertThrows(NotFoundException.class, () -> client.removeVolume(ghost, false));
    }

    @Test
    void pullsFromTheLocalRegistry() {
        List<JsonNode> progress = new ArrayList<>();
        client.pullImage("localhost:5000/docksmith/demo:1.1.0", progress::add);
        assertFalse(progress.isEmpty());
        assertTrue(progress.get(progress.size() - 1).path("status").asText().startsWith("Status:"), progress.toString());

        NotFoundException missing = assertThrows(NotFoundException.class,
                () -> client.pullImage("localhost:5000/docksmith/demo:no-such-tag", null));
        assertTrue(missing.getMessage().startsWith("pulling image localhost:5000/docksmith/demo:no-such-tag: "), missing.getMessage());
    }

    @Test
    void pruneRemovesOnlyWhatTheLabelsSelect() {
        String id = create(unique("prune"), false, CHATTY); // created, never started: prunable
        JsonNode report = client.prune("containers", Map.of(TEST_LABEL + ".run", RUN));
        assertTrue(report.path("ContainersDeleted").toString().contains(id), report.toString());
        assertThrows(NotFoundException.class, () -> client.inspectContainer(id));
    }

    private static boolean contains(JsonNode list, String id) {
        for (JsonNode item : list) {
            if (id.equals(item.path("Id").asText())) {
                return true;
            }
        }
        return false;
    }
}
