package dev.docksmith.runtime.stack;

import dev.docksmith.api.BadRequestException;
import dev.docksmith.api.ContainerInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StackOrderTest {

    static ContainerInfo container(String name, String service, Map<String, String> extra) {
        Map<String, String> labels = new HashMap<>(extra);
        labels.put(ContainerInfo.COMPOSE_PROJECT, "web");
        labels.put(ContainerInfo.COMPOSE_SERVICE, service);
        return new ContainerInfo("id-" + name, name, "img", "sha256:1", "running", labels, null);
    }

    @Test
    void composeV2LabelsPutDependenciesFirst() {
        var app = container("web-app-1", "app", Map.of(ContainerInfo.COMPOSE_DEPENDS_ON, "db:service_started:false,cache:service_healthy:true"));
        var db = container("web-db-1", "db", Map.of());
        var cache = container("web-cache-1", "cache", Map.of(ContainerInfo.COMPOSE_DEPENDS_ON, "db:service_started:false"));
        var order = StackOrder.dependenciesFirst(List.of(app, db, cache)).stream().map(ContainerInfo::name).toList();
        assertEquals(List.of("web-db-1", "web-cache-1", "web-app-1"), order);
    }

    @Test
    void composeV1ContainersReadDependsOnFromTheirFiles(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("docker-compose.yml"), """
                services:
                  app:
                    image: x
                    depends_on: [db]
                  worker:
                    image: x
                    depends_on:
                      app:
                        condition: service_started
                  db:
                    image: y
                """);
        Map<String, String> files = Map.of(ContainerInfo.COMPOSE_WORKING_DIR, dir.toString(),
                ContainerInfo.COMPOSE_CONFIG_FILES, "docker-compose.yml");
        var order = StackOrder.dependenciesFirst(List.of(
                        container("web_worker_1", "worker", files), container("web_app_1", "app", files), container("web_db_1", "db", files)))
                .stream().map(ContainerInfo::name).toList();
        assertEquals(List.of("web_db_1", "web_app_1", "web_worker_1"), order);
    }

    @Test
    void unreadableComposeFilesDoNotStopOrdering() {
        var a = container("a", "a", Map.of(ContainerInfo.COMPOSE_CONFIG_FILES, "/nonexistent/compose.yml"));
        var b = container("b", "b", Map.of());
        assertEquals(2, StackOrder.dependenciesFirst(List.of(b, a)).size());
    }

    @Test
    void cyclesAreReportedWithTheServices() {
        var a = container("a", "a", Map.of(ContainerInfo.COMPOSE_DEPENDS_ON, "b:service_started:false"));
        var b = container("b", "b", Map.of(ContainerInfo.COMPOSE_DEPENDS_ON, "a:service_started:false"));
        var c = container("c", "c", Map.of());
        BadRequestException e = assertThrows(BadRequestException.class, () -> StackOrder.dependenciesFirst(List.of(a, b, c)));
        assertTrue(e.getMessage().contains("a, b"), e.getMessage());
    }

    @Test
    void restartAfterFollowsChainsAndStopsAtCycles() {
        var db = container("db", "db", Map.of(RestartAfter.LABEL, "app"));   // cycle back to app
        var app = container("app", "app", Map.of(RestartAfter.LABEL, "db"));
        var worker = container("worker", "worker", Map.of(RestartAfter.LABEL, "app, other"));
        var unrelated = container("x", "x", Map.of());
        var dependents = RestartAfter.dependentsOf(db, List.of(db, app, worker, unrelated)).stream().map(ContainerInfo::name).toList();
        assertEquals(List.of("app", "worker"), dependents);
    }

    @Test
    void aCycleDoesNotRestartTheUpdatedContainerUnderItsNewId() {
        var before = container("db", "db", Map.of(RestartAfter.LABEL, "app"));
        var recreated = new ContainerInfo("id-db-new", "db", "img:2", "sha256:2", "running", before.labels(), null);
        var app = container("app", "app", Map.of(RestartAfter.LABEL, "db"));
        var dependents = RestartAfter.dependentsOf(before, List.of(recreated, app)).stream().map(ContainerInfo::name).toList();
        assertEquals(List.of("app"), dependents);
    }
}
