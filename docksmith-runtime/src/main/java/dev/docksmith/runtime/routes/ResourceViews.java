package dev.docksmith.runtime.routes;

import com.fasterxml.jackson.databind.JsonNode;
import dev.docksmith.api.ContainerInfo;
import dev.docksmith.runtime.stack.Restarter;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The explorer's summaries of containers, images, networks and volumes, in the API's snake_case.
 * Usage ("which containers use this") is computed from the one container list, so the explorer
 * makes four engine calls in all, whatever the number of resources.
 */
final class ResourceViews {
    private final List<Map<String, Object>> containers = new ArrayList<>();
    private final Map<String, Integer> imageUse = new HashMap<>();
    private final Map<String, List<String>> networkUse = new HashMap<>();
    private final Map<String, List<String>> volumeUse = new HashMap<>();

    /** What a container action answers: the container, its id, what happened and the operation recording it. */
    static Map<String, Object> result(ContainerInfo c, String operationId, String status) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("container", c.name());
        m.put("id", c.id());
        m.put("status", status);
        m.put("operation_id", operationId);
        return m;
    }

    /** A restart's reply: the action's result and the containers restarted after it. */
    static Map<String, Object> restarted(Restarter.Restarted restarted) {
        Map<String, Object> m = result(restarted.container(), restarted.operationId(), "restarted");
        m.put("dependents_restarted", restarted.dependentsRestarted());
        return m;
    }

    /** A stack restart's reply: its members in restart order and the dependents restarted after them. */
    static Map<String, Object> restarted(Restarter.StackRestarted restarted) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("stack", restarted.stack());
        m.put("status", "restarted");
        m.put("operation_id", restarted.operationId());
        m.put("containers", restarted.containers());
        m.put("dependents_restarted", restarted.dependentsRestarted());
        return m;
    }

    ResourceViews(JsonNode containerList) {
        for (JsonNode c : containerList) {
            String name = stripSlash(c.path("Names").path(0).asText(""));
            containers.add(container(c, name));
            imageUse.merge(c.path("ImageID").asText(), 1, Integer::sum);
            c.path("NetworkSettings").path("Networks").fieldNames()
                    .forEachRemaining(n -> networkUse.computeIfAbsent(n, k -> new ArrayList<>()).add(name));
            for (JsonNode m : c.path("Mounts")) {
                if ("volume".equals(m.path("Type").asText())) {
                    volumeUse.computeIfAbsent(m.path("Name").asText(), k -> new ArrayList<>()).add(name);
                }
            }
        }
    }

    List<Map<String, Object>> containers() {
        return containers;
    }

    List<Map<String, Object>> images(JsonNode imageList) {
        List<Map<String, Object>> result = new ArrayList<>();
        for (JsonNode i : imageList) {
            Map<String, Object> m = new LinkedHashMap<>();
            String id = i.path("Id").asText();
            m.put("id", id);
            m.put("tags", strings(i.path("RepoTags"), "<none>:<none>"));
            m.put("digests", strings(i.path("RepoDigests"), "<none>@<none>"));
            m.put("size", i.path("Size").asLong());
            m.put("created", epoch(i.path("Created").asLong()));
            int used = imageUse.getOrDefault(id, 0);
            m.put("containers", used);
            m.put("in_use", used > 0);
            result.add(m);
        }
        return result;
    }

    List<Map<String, Object>> networks(JsonNode networkList) {
        Set<String> builtIn = Set.of("bridge", "host", "none");
        List<Map<String, Object>> result = new ArrayList<>();
        for (JsonNode n : networkList) {
            Map<String, Object> m = new LinkedHashMap<>();
            String name = n.path("Name").asText();
            m.put("id", n.path("Id").asText());
            m.put("name", name);
            m.put("driver", n.path("Driver").asText());
            m.put("scope", n.path("Scope").asText());
            m.put("internal", n.path("Internal").asBoolean());
            m.put("created", n.path("Created").asText(null));
            m.put("built_in", builtIn.contains(name));
            List<String> users = networkUse.getOrDefault(name, List.of());
            m.put("containers", users);
            m.put("in_use", !users.isEmpty());
            m.put("labels", n.path("Labels").isObject() ? n.path("Labels") : Map.of());
            result.add(m);
        }
        return result;
    }

    List<Map<String, Object>> volumes(JsonNode volumeList) {
        List<Map<String, Object>> result = new ArrayList<>();
        for (JsonNode v : volumeList) { // the client hands over the engine's Volumes array
            Map<String, Object> m = new LinkedHashMap<>();
            String name = v.path("Name").asText();
            m.put("name", name);
            m.put("driver", v.path("Driver").asText());
            m.put("mountpoint", v.path("Mountpoint").asText());
            m.put("scope", v.path("Scope").asText());
            m.put("created", v.path("CreatedAt").asText(null));
            List<String> users = volumeUse.getOrDefault(name, List.of());
            m.put("containers", users);
            m.put("in_use", !users.isEmpty());
            m.put("labels", v.path("Labels").isObject() ? v.path("Labels") : Map.of());
            result.add(m);
        }
        return result;
    }

    private static Map<String, Object> container(JsonNode c, String name) {
        Map<String, Object> m = new LinkedHashMap<>();
        JsonNode labels = c.path("Labels");
        m.put("id", c.path("Id").asText());
        m.put("name", name);
        m.put("image", c.path("Image").asText());
        m.put("image_id", c.path("ImageID").asText());
        m.put("state", c.path("State").asText());
        m.put("status", c.path("Status").asText());
        m.put("created", epoch(c.path("Created").asLong()));
        m.put("stack", labels.path("com.docker.compose.project").asText(null));
        m.put("service", labels.path("com.docker.compose.service").asText(null));
        List<Map<String, Object>> ports = new ArrayList<>();
        for (JsonNode p : c.path("Ports")) {
            Map<String, Object> port = new LinkedHashMap<>();
            port.put("private_port", p.path("PrivatePort").asInt());
            if (p.has("PublicPort")) {
                port.put("public_port", p.path("PublicPort").asInt());
                port.put("ip", p.path("IP").asText(null));
            }
            port.put("type", p.path("Type").asText());
            ports.add(port);
        }
        m.put("ports", ports);
        List<String> networks = new ArrayList<>();
        c.path("NetworkSettings").path("Networks").fieldNames().forEachRemaining(networks::add);
        m.put("networks", networks);
        m.put("labels", labels.isObject() ? labels : Map.of());
        return m;
    }

    private static List<String> strings(JsonNode array, String placeholder) {
        Set<String> seen = new HashSet<>();
        List<String> out = new ArrayList<>();
        for (JsonNode s : array) {
            String text = s.asText();
            if (!text.equals(placeholder) && seen.add(text)) {
                out.add(text);
            }
        }
        return out;
    }

    private static String epoch(long seconds) {
        return seconds <= 0 ? null : Instant.ofEpochSecond(seconds).toString();
    }

    static String stripSlash(String name) {
        return name.startsWith("/") ? name.substring(1) : name;
    }
}
