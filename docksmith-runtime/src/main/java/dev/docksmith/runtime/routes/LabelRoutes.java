package dev.docksmith.runtime.routes;

import com.fasterxml.jackson.databind.JsonNode;
import dev.docksmith.api.ContainerInfo;
import dev.docksmith.runtime.docker.DockerClient;
import dev.docksmith.runtime.http.Request;
import dev.docksmith.runtime.http.Router;
import dev.docksmith.runtime.http.Routes;
import dev.docksmith.runtime.update.UpdateRequest;
import dev.docksmith.runtime.update.UpdateRequests;
import dev.docksmith.runtime.update.Updater;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A container's labels, and changing them the only way that lasts: in its definition (the service's
 * {@code labels:} in the compose file, edited in place), then recreating it, as one queued operation.
 */
public final class LabelRoutes implements Routes {
    private final DockerClient docker;
    private final UpdateRequests requests;
    private final Updater updater;

    public LabelRoutes(DockerClient docker, UpdateRequests requests, Updater updater) {
        this.docker = docker;
        this.requests = requests;
        this.updater = updater;
    }

    @Override
    public void routing(Router router) {
        router.get("/api/labels/{container}", this::labels);
        router.post("/api/labels/set", this::set);
        router.post("/api/labels/remove", this::remove);
    }

    private Map<String, Object> labels(Request request) {
        ContainerInfo c = docker.container(request.param("container"));
        Map<String, String> docksmith = new TreeMap<>();
        c.labels().forEach((k, v) -> {
            if (k.startsWith("docksmith.")) {
                docksmith.put(k, v);
            }
        });
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("container", c.name());
        m.put("labels", new TreeMap<>(c.labels()));
        m.put("docksmith_labels", docksmith);
        return m;
    }

    private Map<String, Object> set(Request request) {
        JsonNode body = request.json();
        String container = BodyFields.requiredText(body, "container", "container_name");
        Map<String, String> labels = BodyFields.requiredTextMap(body, "labels");
        return started(requests.labels(container, labels, List.of()));
    }

    private Map<String, Object> remove(Request request) {
        JsonNode body = request.json();
        String container = BodyFields.requiredText(body, "container", "container_name");
        List<String> names = BodyFields.requiredTextList(body, "labels", "label_names");
        return started(requests.labels(container, Map.of(), names));
    }

    private Map<String, Object> started(UpdateRequest request) {
        Map<String, Object> m = OperationView.started(updater, request);
        if (!request.labelsToSet().isEmpty()) {
            m.put("labels", new TreeMap<>(request.labelsToSet()));
        }
        if (!request.labelsToRemove().isEmpty()) {
            m.put("removed", request.labelsToRemove());
        }
        return m;
    }
}
