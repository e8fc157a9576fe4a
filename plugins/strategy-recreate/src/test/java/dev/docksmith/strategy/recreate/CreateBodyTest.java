package dev.docksmith.strategy.recreate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Against an inspect document captured from Docker 20.10 (plus an IPAMConfig and an anonymous volume). */
class CreateBodyTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String NEW = "localhost:5000/docksmith/demo:1.1.0";

    static JsonNode inspect() throws IOException {
        try (InputStream in = CreateBodyTest.class.getResourceAsStream("/inspect-web.json")) {
            return JSON.readTree(in);
        }
    }

    static JsonNode body() throws IOException {
        return JSON.readTree(CreateBody.from(inspect(), NEW));
    }

    static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    @Test
    void imageIsTheNewOne() throws IOException {
        assertEquals(NEW, body().path("Image").asText());
    }

    @Test
    void envCmdEntrypointAsInspected() throws IOException {
        JsonNode b = body();
        assertEquals(List.of("SPACED=a b", "FOO=bar", "PATH=/bin"), texts(b.path("Env")));
        assertEquals(List.of("-c", "httpd -f -p 8080 -h /www"), texts(b.path("Cmd")));
        assertEquals(List.of("/bin/sh"), texts(b.path("Entrypoint")));
        assertEquals("/www", b.path("WorkingDir").asText());
    }

    @Test
    void labelsKeptIncludingImageOnesBecauseTheImageCannotBeInspected() throws IOException {
        JsonNode labels = body().path("Labels");
        assertEquals("front", labels.path("app.tier").asText());
        assertEquals("core", labels.path("team").asText());
        // documented limitation: the old image's label is pinned (no image inspect in the facade)
        assertEquals("1.0.0", labels.path("org.opencontainers.image.version").asText());
    }

    @Test
    void labelsRemovedThenSet() throws IOException {
        JsonNode labels = JSON.readTree(CreateBody.from(inspect(), NEW, Map.of("team", "edge", "added", "yes"),
                List.of("app.tier", "not.there"))).path("Labels");
        assertEquals("edge", labels.path("team").asText());
        assertEquals("yes", labels.path("added").asText());
        assertFalse(labels.has("app.tier"));
        assertEquals("docksmith-demo", labels.path("org.opencontainers.image.title").asText());
        assertEquals(5, labels.size());
    }

    @Test
    void labelsSetOnAContainerWithoutAny() throws IOException {
        JsonNode in = inspect();
        ((com.fasterxml.jackson.databind.node.ObjectNode) in.path("Config")).putNull("Labels");
        assertFalse(body().path("Labels").isNull());
        assertFalse(JSON.readTree(CreateBody.from(in, NEW)).has("Labels"));
        JsonNode labels = JSON.readTree(CreateBody.from(in, NEW, Map.of("a", "1"), List.of())).path("Labels");
        assertEquals(Map.of("a", "1"), JSON.convertValue(labels, Map.class));
    }

    @Test
    void bindsAndAnonymousVolumes() throws IOException {
        List<String> binds = texts(body().path("HostConfig").path("Binds"));
        assertEquals(List.of("dsm-capture-vol:/data", "/tmp:/host-tmp:ro", "0f3c9a1b2c3d4e5f:/cache"), binds);
    }

    @Test
    void hostConfigPortsRestartMemory() throws IOException {
        JsonNode host = body().path("HostConfig");
        assertEquals("18080", host.path("PortBindings").path("8080/tcp").get(0).path("HostPort").asText());
        assertEquals("unless-stopped", host.path("RestartPolicy").path("Name").asText());
        assertEquals(67108864L, host.path("Memory").asLong());
        assertEquals("dsm-capture-net", host.path("NetworkMode").asText());
        assertTrue(body().path("ExposedPorts").has("8080/tcp"));
    }

    @Test
    void networkAliasesWithoutTheOldShortIdAndIpam() throws IOException {
        JsonNode ep = body().path("NetworkingConfig").path("EndpointsConfig").path("dsm-capture-net");
        assertEquals(List.of("web", "www"), texts(ep.path("Aliases")));
        assertEquals("192.168.144.2", ep.path("IPAMConfig").path("IPv4Address").asText());
        assertFalse(ep.has("MacAddress"));
        assertFalse(ep.has("NetworkID"));
    }

    @Test
    void defaultHostnameDroppedExplicitKept() throws IOException {
        assertFalse(body().has("Hostname"));
        JsonNode in = inspect();
        ((com.fasterxml.jackson.databind.node.ObjectNode) in.path("Config")).put("Hostname", "myhost");
        assertEquals("myhost", JSON.readTree(CreateBody.from(in, NEW)).path("Hostname").asText());
    }

    @Test
    void legacyLinksRewritten() throws IOException {
        JsonNode in = inspect();
        ((com.fasterxml.jackson.databind.node.ObjectNode) in.path("HostConfig"))
                .set("Links", JSON.createArrayNode().add("/db:/dsm-capture/database"));
        assertEquals(List.of("db:database"), texts(JSON.readTree(CreateBody.from(in, NEW)).path("HostConfig").path("Links")));
    }

    @Test
    void rejectsGarbage() {
        assertThrows(IllegalArgumentException.class, () -> CreateBody.from("{}", NEW));
        assertThrows(IllegalArgumentException.class, () -> CreateBody.from("not json", NEW));
    }

    @Test
    void defaultsOfTheOldImageAreLeftForTheNewImageToSupply() throws IOException {
        JsonNode container = JSON.readTree("""
                {"Id":"0123456789abcdef","Config":{"Image":"demo:1.0.0",
                  "Env":["PATH=/bin","GREETING=hi"],"Cmd":["httpd"],"WorkingDir":"/www","User":"",
                  "Labels":{"org.opencontainers.image.version":"1.0.0","team":"ops","title":"mine"},
                  "ExposedPorts":{"8080/tcp":{},"9090/tcp":{}}},"HostConfig":{}}""");
        JsonNode image = JSON.readTree("""
                {"Config":{"Env":["PATH=/bin"],"Cmd":["httpd"],"WorkingDir":"/www",
                  "Labels":{"org.opencontainers.image.version":"1.0.0","title":"demo"},"ExposedPorts":{"8080/tcp":{}}}}""");
        JsonNode body = JSON.readTree(CreateBody.from(container, image, NEW, Map.of(), List.of()));
        assertEquals(List.of("GREETING=hi"), texts(body.path("Env")), "the image's PATH is the new image's business");
        assertFalse(body.has("Cmd"));
        assertFalse(body.has("WorkingDir"));
        assertEquals(Map.of("team", "ops", "title", "mine"), JSON.convertValue(body.path("Labels"), Map.class),
                "the version label follows the image; a label overridden at run time is kept");
        assertEquals(List.of("9090/tcp"), List.copyOf(JSON.convertValue(body.path("ExposedPorts"), Map.class).keySet()));
        // Without the image, nothing is dropped.
        assertEquals(2, CreateBody.from(container, null, NEW, Map.of(), List.of()).split("PATH|GREETING").length - 1);
    }
    /** As the engine reports a container started with {@code --network container:<vpn>}: vpn's hostname, no networks. */
    static JsonNode inVpnsNamespace() throws IOException {
        com.fasterxml.jackson.databind.node.ObjectNode c = (com.fasterxml.jackson.databind.node.ObjectNode) inspect();
        ((com.fasterxml.jackson.databind.node.ObjectNode) c.get("Config")).put("Hostname", "b60b168c2fe2");
        ((com.fasterxml.jackson.databind.node.ObjectNode) c.get("HostConfig")).put("NetworkMode", "container:" + "b60b168c2fe2".repeat(5));
        ((com.fasterxml.jackson.databind.node.ObjectNode) c.get("NetworkSettings")).putObject("Networks");
        return c;
    }

    @Test
    void inAnotherContainersNamespaceTheHostnameIsThatContainersAndIsNotSent() throws IOException {
        // The engine refuses it: "conflicting options: hostname and the network mode".
        JsonNode b = JSON.readTree(CreateBody.from(inVpnsNamespace(), NEW));
        assertFalse(b.has("Hostname"), b.toString());
        assertEquals("container:" + "b60b168c2fe2".repeat(5), b.path("HostConfig").path("NetworkMode").asText());
    }

    @Test
    void pointedAtMovesOnlyTheNamespaceOfTheOldContainer() throws IOException {
        String old = "b60b168c2fe2".repeat(5);
        String body = CreateBody.from(inVpnsNamespace(), NEW);
        JsonNode moved = JSON.readTree(CreateBody.pointedAt(body, old, "vpn-docksmith-old-1", "feedbeef", "vpn"));
        assertEquals("container:feedbeef", moved.path("HostConfig").path("NetworkMode").asText());
        assertEquals(JSON.readTree(body).path("Cmd"), moved.path("Cmd"));

        String other = CreateBody.from(inspect(), NEW);
        assertEquals(JSON.readTree(other), JSON.readTree(CreateBody.pointedAt(other, old, "vpn-docksmith-old-1", "feedbeef", "vpn")),
                "a container on its own networks, not linked to the old one, is left as it is");
    }

    @Test
    void pointedAtMovesVolumesFromByIdAndLinksToTheOldContainer() throws IOException {
        String old = "b60b168c2fe2".repeat(5);
        com.fasterxml.jackson.databind.node.ObjectNode c = (com.fasterxml.jackson.databind.node.ObjectNode) inspect();
        com.fasterxml.jackson.databind.node.ObjectNode host = (com.fasterxml.jackson.databind.node.ObjectNode) c.get("HostConfig");
        // compose writes the id (v1 with a mode); docker run writes the name. A link follows the old container's rename.
        host.putArray("VolumesFrom").add(old).add(old + ":rw").add("vpn");
        host.putArray("Links").add("/vpn-docksmith-old-1:/web/vpnalias").add("/db:/web/db");
        JsonNode moved = JSON.readTree(CreateBody.pointedAt(CreateBody.from(c, NEW), old, "vpn-docksmith-old-1", "feedbeef", "vpn"));
        assertEquals(List.of("feedbeef", "feedbeef:rw", "vpn"), texts(moved.path("HostConfig").path("VolumesFrom")));
        assertEquals(List.of("vpn:vpnalias", "db:db"), texts(moved.path("HostConfig").path("Links")));
    }
}
