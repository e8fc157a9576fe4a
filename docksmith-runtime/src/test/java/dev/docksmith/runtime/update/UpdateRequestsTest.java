package dev.docksmith.runtime.update;

import dev.docksmith.api.BadRequestException;
import dev.docksmith.api.ContainerInfo;
import dev.docksmith.api.ImageRef;
import dev.docksmith.runtime.plugin.PreUpdateChecks;
import dev.docksmith.runtime.plugin.RegistryDirectory;
import dev.docksmith.runtime.plugin.StrategyDirectory;
import dev.docksmith.runtime.docker.DockerClient;
import dev.docksmith.runtime.docker.transport.DockerRequest;
import dev.docksmith.runtime.docker.transport.DockerResponse;
import dev.docksmith.runtime.docker.transport.DockerTransport;
import dev.docksmith.runtime.store.InMemoryStore;
import dev.docksmith.spi.RegistryClient;
import dev.docksmith.spi.RegistryPlugin;
import dev.docksmith.spi.UpdateStrategy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code POST /api/update} with a {@code version}, at the engine and registry seams (both answered
 * from memory): the tag asked for must be a tag of the repository, and a bare version never moves a
 * container on a variant tag to another image family. The real engine and registry: VariantTagsIT.
 */
class UpdateRequestsTest {
    static final String REPO = "registry.test/library/web";

    /** The tags the fake registry has; a digest exists exactly for these. */
    List<String> tags = List.of("1.25.3", "1.25.3-alpine", "1.27.1", "1.27.1-alpine", "1.27.1-bookworm", "latest");
    String running = REPO + ":1.25.3-alpine";
    DockerClient docker;

    final RegistryClient registry = new RegistryClient() {
        @Override
        public List<String> tags(ImageRef repository) {
            return tags;
        }

        @Override
        public Optional<String> digest(ImageRef image) {
            return tags.contains(image.tag()) ? Optional.of("sha256:" + image.tag().hashCode()) : Optional.empty();
        }
    };

    final RegistryPlugin registries = new RegistryPlugin() {
        @Override
        public String name() {
            return "fake-registry";
        }

        @Override
        public boolean serves(ImageRef image) {
            return true;
        }

        @Override
        public RegistryClient client(ImageRef image) {
            return registry;
        }
    };

    final UpdateStrategy strategy = new UpdateStrategy() {
        @Override
        public String name() {
            return "fake-strategy";
        }

        @Override
        public boolean supports(ContainerInfo container) {
            return true;
        }

        @Override
        public Optional<String> declaredImage(ContainerInfo container) {
            return Optional.empty();
        }
    };

    /** An engine that knows one container, "web", running {@link #running}. */
    final DockerTransport engine = new DockerTransport() {
        @Override
        public DockerResponse execute(DockerRequest request) {
            if (request.target().equals("/_ping")) {
                return answer(200, "OK", Map.of("Api-Version", List.of("1.41")));
            }
            if (request.target().endsWith("/containers/web/json")) {
                return answer(200, """
                        {"Id":"c0ffee","Name":"/web","Image":"sha256:1","State":{"Status":"running"},
                         "Config":{"Image":"%s","Labels":{}}}""".formatted(running), Map.of());
            }
            return answer(404, "{\"message\":\"No such container\"}", Map.of());
        }

        @Override
        public String endpoint() {
            return "unix:///fake.sock";
        }

        @Override
        public void close() {
        }
    };

    static DockerResponse answer(int status, String body, Map<String, List<String>> headers) {
        Map<String, List<String>> all = new java.util.HashMap<>(headers);
        all.put("Content-Type", List.of(body.startsWith("{") ? "application/json" : "text/plain"));
        return new DockerResponse(status, all, new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
    }

    UpdateRequest update(String version) {
        docker = DockerClient.create(engine, Duration.ofSeconds(5));
        UpdateRequests requests = new UpdateRequests(docker, null, new RegistryDirectory(List.of(registries)),
                new StrategyDirectory(List.of(strategy)), new PreUpdateChecks(List.of(), new InMemoryStore()), new InMemoryStore());
        return requests.update("web", version, null, false);
    }

    @AfterEach
    void close() {
        if (docker != null) {
            docker.close();
        }
    }

    @Test
    void theVariantTagItselfMovesTheContainerWithinItsFamily() {
        UpdateRequest r = update("1.27.1-alpine");
        assertEquals(REPO + ":1.27.1-alpine", r.newImage());
        assertEquals("1.25.3-alpine", r.oldVersion(), "old_version is the running tag");
        assertEquals("1.27.1-alpine", r.newVersion(), "new_version is the tag moved to");
    }

    @Test
    void aBareVersionThatExistsIsAnotherFamilyAndIsRefusedWithTheTagMeant() {
        BadRequestException e = assertThrows(BadRequestException.class, () -> update("1.27.1"),
                "1.27.1 is Debian nginx: the alpine container must not move there");
        assertTrue(e.getMessage().contains("did you mean 1.27.1-alpine?"), e.getMessage());
    }

    @Test
    void aBareVersionTheRegistryLacksSaysWhichTagWasMeant() {
        tags = List.of("2.1.0-ls104", "2.1.0-ls105", "2.0.0-ls99");
        running = REPO + ":2.0.0-ls99";
        BadRequestException e = assertThrows(BadRequestException.class, () -> update("2.1.0"));
        assertTrue(e.getMessage().contains("is not in the registry; did you mean 2.1.0-ls105?"), e.getMessage());

        tags = List.of("v2.10.0", "v2.11.0");
        running = REPO + ":v2.10.0";
        e = assertThrows(BadRequestException.class, () -> update("2.11.0"));
        assertTrue(e.getMessage().contains("did you mean v2.11.0?"), e.getMessage());
    }

    @Test
    void aBareVersionOfABookwormContainerNamesTheBookwormTagNotAnother() {
        tags = List.of("16.2-bookworm", "16.3", "16.3-bookworm", "16.3-bullseye");
        running = REPO + ":16.2-bookworm";
        BadRequestException e = assertThrows(BadRequestException.class, () -> update("16.3"));
        assertTrue(e.getMessage().contains("did you mean 16.3-bookworm?"), e.getMessage());
        assertEquals(REPO + ":16.3-bookworm", update("16.3-bookworm").newImage());
    }

    @Test
    void aTagTheRegistryLacksIsRefused() {
        BadRequestException e = assertThrows(BadRequestException.class, () -> update("9.9.9-alpine"));
        assertEquals("version 9.9.9-alpine of registry.test/library/web is not in the registry", e.getMessage());
    }

    @Test
    void aPlainContainerStillTakesABareVersion() {
        running = REPO + ":1.25.3";
        assertEquals(REPO + ":1.27.1", update("1.27.1").newImage());
    }
}
