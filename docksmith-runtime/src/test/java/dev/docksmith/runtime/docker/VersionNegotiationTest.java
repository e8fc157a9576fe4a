package dev.docksmith.runtime.docker;

import dev.docksmith.api.DockerException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** API version negotiation against engines old (1.41) and new (minimum 1.44). */
@Timeout(30) // a broken timeout must fail the test, not hang the build
class VersionNegotiationTest {
    @TempDir
    Path dir;
    FakeEngine engine;
    DockerClient client;

    @BeforeEach
    void start() throws IOException {
        engine = FakeEngine.start(dir.resolve("docker.sock"));
        engine.on("GET", "/containers/json", (r, x) -> x.json(200, "[]"));
        client = DockerClient.create(engine.host(), Duration.ofSeconds(5));
    }

    @AfterEach
    void stop() throws IOException {
        client.close();
        engine.close();
    }

    @Test
    void speaksTheOlderEnginesVersion() {
        client.listContainers(false);
        assertEquals("1.41", client.apiVersion());
        assertEquals("/_ping", engine.requests().get(0).target());
        assertTrue(engine.apiRequests().stream().allMatch(r -> r.target().startsWith("/v1.41/")));
    }

    @Test
    void speaksOursToAnEngineThatRefusesOldClients() {
        engine.apiVersion = "1.52";
        engine.minVersion = "1.44";
        // the fake really refuses 1.41, so a client stuck on 1.41 would fail here
        client.listContainers(false);
        assertEquals("1.47", client.apiVersion());
        assertEquals("/v1.47/containers/json?all=0", engine.lastRequest().target());
    }

    @Test
    void fallsBackToVersionWhenPingHasNoHeader() {
        engine.pingHeader = false;
        engine.apiVersion = "1.52";
        engine.minVersion = "1.44";
        client.listContainers(false);
        assertEquals("1.47", client.apiVersion());
        assertEquals("/version", engine.requests().get(1).target());
    }

    @Test
    void usesTheEnginesMinimumWhenItIsAboveOurs() {
        engine.pingHeader = false;
        engine.apiVersion = "1.55";
        engine.minVersion = "1.50";
        client.listContainers(false);
        assertEquals("1.50", client.apiVersion());
        assertEquals("/v1.50/containers/json?all=0", engine.lastRequest().target());
    }

    @Test
    void adoptsTheMinimumNamedInATooOldAnswer() {
        // /_ping names only the newest version, so the minimum shows up as a 400 on the first call
        engine.apiVersion = "1.55";
        engine.minVersion = "1.49";
        client.listContainers(false);
        assertEquals("1.49", client.apiVersion());
        assertEquals(2, engine.apiRequests().size());
        assertEquals("/v1.47/containers/json?all=0", engine.apiRequests().get(0).target());
        assertEquals("/v1.49/containers/json?all=0", engine.apiRequests().get(1).target());
    }

    @Test
    void otherBadRequestsAreNotRetried() {
        engine.on("GET", "/containers/json", (r, x) -> x.json(400, "{\"message\":\"invalid filter\"}"));
        DockerException e = assertThrows(DockerException.class, () -> client.listContainers(false));
        assertEquals(400, e.status());
        assertEquals("listing containers: invalid filter", e.getMessage());
        assertEquals(1, engine.apiRequests().size());
    }

    @Test
    void negotiatesOnceWhileTheEngineStaysUp() {
        for (int i = 0; i < 5; i++) {
            client.listContainers(false);
        }
        assertEquals(1, engine.requests().stream().filter(r -> r.target().equals("/_ping")).count());
    }

    @Test
    void negotiationRules() {
        ApiVersion v141 = ApiVersion.parse("1.41");
        assertEquals(v141, ApiVersion.negotiate(v141, ApiVersion.parse("1.12")));
        assertEquals(ApiVersion.OURS, ApiVersion.negotiate(ApiVersion.parse("1.52"), ApiVersion.parse("1.44")));
        assertEquals(ApiVersion.parse("1.48"), ApiVersion.negotiate(ApiVersion.parse("1.52"), ApiVersion.parse("1.48")));
        assertEquals(ApiVersion.OURS, ApiVersion.negotiate(ApiVersion.parse("1.47"), null));
        assertTrue(ApiVersion.parse("1.9").compareTo(v141) < 0, "numeric, not lexical, order");
        assertEquals("/v1.41", v141.prefix());
        assertThrows(IllegalArgumentException.class, () -> ApiVersion.parse("v1.41"));
        assertThrows(IllegalArgumentException.class, () -> ApiVersion.parse(null));
    }
}
