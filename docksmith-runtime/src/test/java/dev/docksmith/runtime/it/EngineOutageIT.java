package dev.docksmith.runtime.it;

import dev.docksmith.api.Event;
import dev.docksmith.runtime.Docksmith;
import dev.docksmith.runtime.config.DocksmithConfig;
import dev.docksmith.runtime.config.Setting;
import dev.docksmith.runtime.store.InMemoryStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The engine is away when Docksmith starts and comes later. The socket path starts missing and then
 * becomes a link to the real engine's socket: the same thing a user sees when dockerd starts after
 * Docksmith, without stopping the engine other tests use.
 */
class EngineOutageIT {

    @Test
    void reportsTheOutageNamingTheSocketAndRecoversWithoutRestart(@TempDir Path dir) throws Exception {
        RealEngine.require();
        Path socket = dir.resolve("docker.sock");
        List<Event> events = new CopyOnWriteArrayList<>();
        DocksmithConfig config = DocksmithConfig.defaults().with(Setting.PORT, "0")
                .with(Setting.DOCKER_HOST, "unix://" + socket);
        try (Docksmith docksmith = Docksmith.builder().config(config).store(new InMemoryStore())
                .eventListener(events::add).build().start()) {
            ApiClient api = new ApiClient("http://127.0.0.1:" + docksmith.port());

            assertEquals(200, api.get("/api/health").status(), "health does not depend on the engine");
            var down = api.get("/api/explorer");
            assertEquals(500, down.status(), down.text());
            assertEquals("DOCKER_UNAVAILABLE", down.errorCode());
            assertTrue(down.errorMessage().contains(socket.toString()), down.errorMessage());
            var config1 = api.get("/api/docker-config");
            assertEquals(200, config1.status());
            assertFalse(config1.data().path("reachable").asBoolean());
            assertTrue(config1.data().path("error").asText().contains(socket.toString()));
            ContainerApiIT.sleep(300);
            assertTrue(events.stream().anyMatch(e -> e.type().equals("docker.unreachable")), events.toString());

            Files.createSymbolicLink(socket, Path.of("/var/run/docker.sock"));

            var up = api.get("/api/explorer");
            assertEquals(200, up.status(), up.text());
            assertTrue(api.get("/api/docker-config").data().path("reachable").asBoolean());
            long deadline = System.nanoTime() + 40_000_000_000L;
            while (events.stream().noneMatch(e -> e.type().equals("docker.reconnected")) && System.nanoTime() < deadline) {
                ContainerApiIT.sleep(100);
            }
            assertTrue(events.stream().anyMatch(e -> e.type().equals("docker.reconnected")), "engine events resume: " + events);
        }
    }
}
