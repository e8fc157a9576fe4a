package dev.docksmith.runtime.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.docksmith.api.Event;
import dev.docksmith.runtime.Docksmith;
import dev.docksmith.runtime.config.DocksmithConfig;
import dev.docksmith.runtime.config.Setting;
import dev.docksmith.runtime.store.InMemoryStore;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * One embedded Docksmith for the update integration tests, on the real engine and registry, with a
 * short health grace, no background checks, and every event kept, plus compose helpers.
 */
final class UpdateFixture implements AutoCloseable {
    static final String DEMO = RealEngine.DEMO_REPO;
    static final String HEALTH = "localhost:5000/docksmith/demo-health";

    final Docksmith docksmith;
    final ApiClient api;
    final List<Event> events = new CopyOnWriteArrayList<>();

    UpdateFixture(Path scriptsDir) {
        RealEngine.require();
        DocksmithConfig config = DocksmithConfig.defaults().with(Setting.PORT, "0").with(Setting.CHECK_INTERVAL, "0")
                .with(Setting.SCRIPTS_DIR, scriptsDir.toString()).with(Setting.HEALTH_GRACE, "2s")
                .with(Setting.HEALTH_TIMEOUT, "30s");
        docksmith = Docksmith.builder().config(config).store(new InMemoryStore()).eventListener(events::add).build().start();
        api = new ApiClient("http://127.0.0.1:" + docksmith.port());
    }

    /** Posts, expects 200, and returns the operation id it started. */
    String start(String path, String json) {
        ApiClient.Response r = api.post(path, json);
        assertEquals(200, r.status(), r.text());
        assertEquals("started", r.data().path("status").asText(), r.text());
        return r.data().path("operation_id").asText();
    }

    /** Waits until the operation is complete, failed or rolled back, and returns it. */
    JsonNode await(String operationId) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
        while (Instant.now().isBefore(deadline)) {
            JsonNode op = api.get("/api/operations/" + operationId).data();
            String status = op.path("status").asText();
            if (status.equals("complete") || status.equals("failed") || status.equals("rolled_back")) {
                return op;
            }
            sleep(200);
        }
        return fail("operation " + operationId + " did not end within 120 s: " + api.get("/api/operations/" + operationId).text());
    }

    /** The stages {@code update.progress} reported for one operation, each once, in order. */
    List<String> stages(String operationId) {
        List<String> stages = new ArrayList<>();
        for (Event e : events) {
            if (e.type().equals("update.progress") && operationId.equals(e.payload().get("operation_id"))) {
                String stage = String.valueOf(e.payload().get("stage"));
                if (stages.isEmpty() || !stages.get(stages.size() - 1).equals(stage)) {
                    stages.add(stage);
                }
            }
        }
        return stages;
    }

    /** Where the first {@code update.progress} event of the operation at that stage came, among all events. */
    int eventIndex(String operationId, String stage) {
        for (int i = 0; i < events.size(); i++) {
            Event e = events.get(i);
            if (e.type().equals("update.progress") && operationId.equals(e.payload().get("operation_id"))
                    && stage.equals(e.payload().get("stage"))) {
                return i;
            }
        }
        return fail("no " + stage + " event for " + operationId + ": " + stages(operationId));
    }

    /** The image reference a container was created from. */
    static String imageOf(String container) {
        return RealEngine.docker("inspect", "--format", "{{.Config.Image}}", container);
    }

    static String stateOf(String container) {
        return RealEngine.docker("inspect", "--format", "{{.State.Status}}", container);
    }

    /** {@code docker compose} (v2) or {@code docker-compose} (v1) with the project's name and file. */
    static List<String> compose(String flavour, String project, Path file, String... args) {
        List<String> command = new ArrayList<>(flavour.equals("v2") ? List.of("docker", "compose") : List.of("docker-compose"));
        command.addAll(List.of("-p", project, "-f", file.toString()));
        command.addAll(List.of(args));
        return command;
    }

    static void composeUp(String flavour, String project, Path file) {
        RealEngine.Result r = RealEngine.run(compose(flavour, project, file, "up", "-d"));
        assertEquals(0, r.exit(), r.output());
    }

    static void composeDown(String flavour, String project, Path file) {
        RealEngine.run(compose(flavour, project, file, "down", "-t", "1"));
    }

    /** The container name compose gives a service: {@code p-svc-1} (v2) or {@code p_svc_1} (v1). */
    static String containerName(String flavour, String project, String service) {
        String sep = flavour.equals("v2") ? "-" : "_";
        return project + sep + service + sep + "1";
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        docksmith.close();
    }
}
