package dev.docksmith.runtime.routes;

import dev.docksmith.api.NotFoundException;
import dev.docksmith.runtime.plugin.PreUpdateChecks;
import dev.docksmith.runtime.docker.DockerClient;
import dev.docksmith.runtime.http.Request;
import dev.docksmith.runtime.http.Router;
import dev.docksmith.runtime.http.Routes;
import dev.docksmith.runtime.operations.OperationLog;
import dev.docksmith.spi.KeyValue;
import dev.docksmith.spi.Store;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The scripts routes. An assignment is stored and takes effect like the
 * {@code docksmith.pre-update-check} label; a reference outside the scripts directory is a 400.
 */
public final class ScriptRoutes implements Routes {
    private final PreUpdateChecks checks;
    private final Store store;
    private final DockerClient docker;
    private final OperationLog operations;

    public ScriptRoutes(PreUpdateChecks checks, Store store, DockerClient docker, OperationLog operations) {
        this.checks = checks;
        this.store = store;
        this.docker = docker;
        this.operations = operations;
    }

    @Override
    public void routing(Router router) {
        router.get("/api/scripts", r -> scripts());
        router.get("/api/scripts/assigned", r -> assigned());
        router.post("/api/scripts/assign", this::assign);
        router.delete("/api/scripts/assign/{container}", this::unassign);
    }

    private Map<String, Object> scripts() {
        List<String> available = checks.available();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("scripts", available.stream().map(name -> Map.of("name", name)).toList());
        m.put("count", available.size());
        return m;
    }

    private Map<String, Object> assigned() {
        KeyValue settings = store.settings();
        Map<String, String> assignments = new LinkedHashMap<>();
        for (String container : settings.keys(PreUpdateChecks.ASSIGNMENTS)) {
            settings.get(PreUpdateChecks.ASSIGNMENTS, container).ifPresent(s -> assignments.put(container, s));
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("assignments", assignments);
        m.put("count", assignments.size());
        return m;
    }

    private Map<String, Object> assign(Request request) {
        var body = request.json();
        String container = BodyFields.requiredText(body, "container", "container_name");
        String reference = BodyFields.requiredText(body, "script", "script_path", "script_name");
        String name = checks.resolve(reference); // 400 outside the scripts directory, 404 when missing
        String containerName = ResourceViews.stripSlash(docker.inspectContainer(container).path("Name").asText(container));
        var recorded = operations.run("assign_script", containerName, null, op -> {
            store.settings().put(PreUpdateChecks.ASSIGNMENTS, containerName, name);
            return name;
        });
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("container", containerName);
        m.put("script", name);
        m.put("operation_id", recorded.operation().id());
        return m;
    }

    private Map<String, Object> unassign(Request request) {
        String container = request.param("container");
        if (store.settings().get(PreUpdateChecks.ASSIGNMENTS, container).isEmpty()) {
            throw new NotFoundException("No script assigned to container: " + container);
        }
        var recorded = operations.run("unassign_script", container, null, op -> {
            store.settings().delete(PreUpdateChecks.ASSIGNMENTS, container);
            return null;
        });
        return Map.of("container", container, "removed", true, "operation_id", recorded.operation().id());
    }
}
