package dev.docksmith.runtime.it;

import dev.docksmith.api.Event;
import dev.docksmith.runtime.Docksmith;
import dev.docksmith.runtime.config.DocksmithConfig;
import dev.docksmith.runtime.config.Setting;
import dev.docksmith.runtime.store.InMemoryStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@code POST /api/restart/stack/{name}} on real compose projects, made by compose v2 and by v1. */
class StackRestartIT {
    static Docksmith docksmith;
    static ApiClient api;
    static final List<Event> events = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() {
        RealEngine.require();
        docksmith = Docksmith.builder().config(DocksmithConfig.defaults().with(Setting.PORT, "0"))
                .store(new InMemoryStore()).eventListener(events::add).build().start();
        api = new ApiClient("http://127.0.0.1:" + docksmith.port());
    }

    @AfterAll
    static void stop() {
        if (docksmith != null) {
            docksmith.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"v2", "v1"})
    void restartsServicesInDependsOnOrder(String flavour, @TempDir Path dir) throws Exception {
        String project = RealEngine.unique("stack" + flavour);
        Path file = dir.resolve("compose.yml");
        // Declared in reverse of their dependency order, so a name- or file-ordered restart would be caught.
        Files.writeString(file, """
                services:
                  worker:
                    image: %1$s
                    network_mode: none
                    depends_on: [app]
                  app:
                    image: %1$s
                    network_mode: none
                    depends_on:
                      - db
                  db:
                    image: %1$s
                    network_mode: none
                """.formatted(RealEngine.DEMO_1));
        List<String> compose = flavour.equals("v2") ? List.of("docker", "compose") : List.of("docker-compose");
        List<String> up = new ArrayList<>(compose);
        up.addAll(List.of("-p", project, "-f", file.toString(), "up", "-d"));
        try {
            RealEngine.Result r = RealEngine.run(up);
            assertEquals(0, r.exit(), r.output());
            var reply = api.post("/api/restart/stack/" + project);
            assertEquals(200, reply.status(), reply.text());
            String sep = flavour.equals("v2") ? "-" : "_";
            List<String> expected = List.of(project + sep + "db" + sep + "1", project + sep + "app" + sep + "1",
                    project + sep + "worker" + sep + "1");
            assertEquals(expected, ContainerApiIT.asList(reply.data().path("containers")));

            String operationId = reply.data().path("operation_id").asText();
            List<String> restarting = events.stream()
                    .filter(e -> e.type().equals("restart.progress") && operationId.equals(e.payload().get("operation_id"))
                            && "restarting".equals(e.payload().get("stage")))
                    .map(e -> String.valueOf(e.payload().get("container"))).toList();
            assertEquals(expected, restarting);
            var op = api.get("/api/operations/" + operationId).data();
            assertEquals("restart_stack", op.path("operation_type").asText());
            assertEquals(project, op.path("stack_name").asText());
            assertEquals("complete", op.path("status").asText());
            for (String name : expected) {
                assertEquals("running", RealEngine.docker("inspect", "--format", "{{.State.Status}}", name));
            }
        } finally {
            List<String> down = new ArrayList<>(compose);
            down.addAll(List.of("-p", project, "-f", file.toString(), "down", "-t", "1"));
            RealEngine.run(down);
        }
    }
}
