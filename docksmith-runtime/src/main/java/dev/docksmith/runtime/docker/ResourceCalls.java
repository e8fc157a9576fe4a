package dev.docksmith.runtime.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.docksmith.api.BadRequestException;
import dev.docksmith.api.DockerException;
import dev.docksmith.runtime.json.Json;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The {@code /networks} and {@code /volumes} endpoints and the four prune calls. */
final class ResourceCalls {
    /** Since API 1.42 volume prune spares named volumes unless asked for {@code all}; 1.41 prunes both and rejects that filter. */
    private static final ApiVersion PRUNE_ALL_VOLUMES = new ApiVersion(1, 42);
    /** The engine answers a prune only when everything is deleted, which can take minutes. */
    private static final Duration MIN_PRUNE_TIMEOUT = Duration.ofMinutes(10);

    private final EngineCaller engine;

    ResourceCalls(EngineCaller engine) {
        this.engine = engine;
    }

    JsonNode listNetworks() {
        return engine.json("listing networks", engine.request("GET", "/networks"));
    }

    String createNetwork(String name, Map<String, String> labels) {
        ObjectNode body = Json.object().put("Name", name).put("CheckDuplicate", true);
        body.set("Labels", Json.MAPPER.valueToTree(labels));
        return idOf("creating network " + name,
                engine.json("creating network " + name, engine.request("POST", "/networks/create").withJson(Json.bytes(body))));
    }

    JsonNode inspectNetwork(String id) {
        return engine.json("inspecting network " + id, engine.request("GET", "/networks/" + DockerPaths.name("network", id)));
    }

    JsonNode inspectVolume(String name) {
        return engine.json("inspecting volume " + name, engine.request("GET", "/volumes/" + DockerPaths.name("volume", name)));
    }

    void removeNetwork(String id) {
        engine.call("removing network " + id, engine.request("DELETE", "/networks/" + DockerPaths.name("network", id)));
    }

    /** The engine's {@code Volumes} array (its answer also holds {@code Warnings}, dropped here). */
    JsonNode listVolumes() {
        JsonNode answer = engine.json("listing volumes", engine.request("GET", "/volumes"));
        JsonNode volumes = answer.path("Volumes");
        return volumes.isArray() ? volumes : Json.array(); // the engine sends null when there are none
    }

    String createVolume(String name, Map<String, String> labels) {
        ObjectNode body = Json.object().put("Name", name);
        body.set("Labels", Json.MAPPER.valueToTree(labels));
        JsonNode created = engine.json("creating volume " + name,
                engine.request("POST", "/volumes/create").withJson(Json.bytes(body)));
        return created.path("Name").asText(name);
    }

    void removeVolume(String name, boolean force) {
        engine.call("removing volume " + name, engine.request("DELETE", "/volumes/"
                + DockerPaths.name("volume", name) + new DockerPaths.Query().flag("force", force)));
    }

    /**
     * Prunes unused containers, images, networks or volumes, limited to those carrying every label in
     * {@code labels} ({@code key=value}, or {@code key} for any value), and returns the engine's report.
     * <p>{@code all} widens the two prunes that can lose something a user wants back: images are
     * pruned with {@code dangling=false} (unused tagged images too, such as the old versions a
     * rollback returns to) and volumes with {@code all=true} (named volumes too, which hold data).
     * Without {@code all}, an engine below API 1.42, whose volume prune takes named volumes too, gets
     * {@link AnonymousVolumePrune} instead.
     */
    JsonNode prune(String kind, boolean all, Map<String, String> labels) {
        Map<String, List<String>> filters = new LinkedHashMap<>();
        if (!labels.isEmpty()) {
            List<String> values = new ArrayList<>();
            labels.forEach((k, v) -> values.add(v == null || v.isEmpty() ? k : k + "=" + v));
            filters.put("label", values);
        }
        String action = "pruning " + kind;
        Duration timeout = engine.callTimeout().compareTo(MIN_PRUNE_TIMEOUT) > 0 ? engine.callTimeout() : MIN_PRUNE_TIMEOUT;
        switch (kind == null ? "" : kind) {
            case "images":
                filters.put("dangling", List.of(all ? "false" : "true"));
                break;
            case "volumes":
                boolean sparesNamed = engine.apiVersion(action).atLeast(PRUNE_ALL_VOLUMES);
                if (!all && !sparesNamed) {
                    return new AnonymousVolumePrune(engine, timeout).prune(filters);
                }
                if (all && sparesNamed) {
                    filters.put("all", List.of("true"));
                }
                break;
            case "containers":
            case "networks":
                break;
            default:
                throw new BadRequestException("cannot prune \"" + kind
                        + "\": expected containers, images, networks or volumes");
        }
        return engine.json(action, engine.request("POST", "/" + kind + "/prune"
                + new DockerPaths.Query().filters(filters)).withTimeout(timeout));
    }

    private static String idOf(String action, JsonNode created) {
        String id = created.path("Id").asText("");
        if (id.isEmpty()) {
            throw new DockerException(500, action + ": the engine returned no Id");
        }
        return id;
    }
}
