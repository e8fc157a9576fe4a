package dev.docksmith.runtime.routes;

import com.fasterxml.jackson.databind.JsonNode;
import dev.docksmith.runtime.docker.DockerClient;
import dev.docksmith.runtime.http.Request;
import dev.docksmith.runtime.http.Router;
import dev.docksmith.runtime.http.Routes;
import dev.docksmith.runtime.operations.OperationLog;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The explorer and the image, network and volume routes. */
public final class ResourceRoutes implements Routes {
    private final DockerClient docker;
    private final OperationLog operations;

    public ResourceRoutes(DockerClient docker, OperationLog operations) {
        this.docker = docker;
        this.operations = operations;
    }

    @Override
    public void routing(Router router) {
        router.get("/api/explorer", this::explorer);
        router.get("/api/images", r -> usage().images(docker.listImages()));
        router.get("/api/networks", r -> usage().networks(docker.listNetworks()));
        router.get("/api/volumes", r -> usage().volumes(docker.listVolumes()));
        // Image references contain slashes (localhost:5000/team/app:1.0), so the id takes the rest of the path.
        router.delete("/api/images/{id...}", this::removeImage);
        router.delete("/api/networks/{id}", this::removeNetwork);
        router.delete("/api/volumes/{name}", this::removeVolume);
    }

    private Map<String, Object> explorer(Request request) {
        ResourceViews views = usage();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("containers", views.containers());
        data.put("images", views.images(docker.listImages()));
        data.put("networks", views.networks(docker.listNetworks()));
        data.put("volumes", views.volumes(docker.listVolumes()));
        return data;
    }

    private ResourceViews usage() {
        return new ResourceViews(docker.listContainers(true));
    }

    private Map<String, Object> removeImage(Request request) {
        String id = request.param("id");
        boolean force = request.queryBool("force", false);
        docker.inspectImage(id); // an unknown image is a 404 before any operation is recorded
        var recorded = operations.run("remove_image", null, null, op -> docker.removeImage(id, force));
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("id", id);
        data.put("operation_id", recorded.operation().id());
        data.put("untagged", collect(recorded.result(), "Untagged"));
        data.put("deleted", collect(recorded.result(), "Deleted"));
        return data;
    }

    private Map<String, Object> removeNetwork(Request request) {
        String id = request.param("id");
        docker.inspectNetwork(id);
        var recorded = operations.run("remove_network", null, null, op -> {
            docker.removeNetwork(id);
            return id;
        });
        return Map.of("id", id, "removed", true, "operation_id", recorded.operation().id());
    }

    private Map<String, Object> removeVolume(Request request) {
        String name = request.param("name");
        boolean force = request.queryBool("force", false);
        docker.inspectVolume(name);
        var recorded = operations.run("remove_volume", null, null, op -> {
            docker.removeVolume(name, force);
            return name;
        });
        return Map.of("name", name, "removed", true, "operation_id", recorded.operation().id());
    }

    static List<String> collect(JsonNode items, String key) {
        List<String> out = new ArrayList<>();
        if (items != null) {
            for (JsonNode item : items) {
                if (item.hasNonNull(key)) {
                    out.add(item.get(key).asText());
                }
            }
        }
        return out;
    }
}
