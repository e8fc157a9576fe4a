package dev.docksmith.strategy.recreate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds the Engine API {@code POST /containers/create} body that reproduces an inspected container
 * on another image. Pure: inspect document in, JSON text out.
 *
 * <p>Given the old image's inspect document, settings equal to that image's defaults (its Env
 * entries, Labels, Cmd, Entrypoint, WorkingDir, User, ExposedPorts, Healthcheck, StopSignal) are left
 * out, so the new image's own defaults apply: a label {@code org.opencontainers.image.version} or a
 * PATH follows the image, while what was given at {@code docker run} is kept. Without it, everything
 * is kept as inspected (and old image defaults are pinned onto the new image).
 *
 * <p>Known limitation: engines before API 1.44 (Docker &lt; 25) refuse a create body with more than
 * one network in EndpointsConfig; the facade has no "network connect", so a container on several
 * networks fails to be recreated there (and the strategy restores the old one).
 */
public final class CreateBody {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Config fields copied as inspected (see the class comment about image defaults). */
    private static final String[] CONFIG_FIELDS = {
            "Env", "Cmd", "Entrypoint", "WorkingDir", "User", "Labels", "ExposedPorts", "Healthcheck",
            "StopSignal", "StopTimeout", "Tty", "OpenStdin", "StdinOnce", "AttachStdin", "AttachStdout",
            "AttachStderr", "Domainname"};

    private CreateBody() {
    }

    public static String from(String inspectJson, String newImage) {
        try {
            return from(JSON.readTree(inspectJson), newImage);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not an inspect document: " + e.getOriginalMessage(), e);
        }
    }

    public static String from(JsonNode inspect, String newImage) {
        return from(inspect, newImage, Map.of(), List.of());
    }

    /**
     * As {@link #from(JsonNode, String)}, with labels changed on the way: {@code labelsToRemove} are
     * taken away first, then {@code labelsToSet} added or overwritten.
     */
    public static String from(JsonNode inspect, String newImage, Map<String, String> labelsToSet,
                              Collection<String> labelsToRemove) {
        return from(inspect, null, newImage, labelsToSet, labelsToRemove);
    }

    /**
     * As above, leaving out what equals {@code oldImage}'s defaults (its inspect document, or null
     * when unknown) so that the new image's defaults take their place.
     */
    public static String from(JsonNode inspect, JsonNode oldImage, String newImage, Map<String, String> labelsToSet,
                              Collection<String> labelsToRemove) {
        if (newImage == null || newImage.isBlank()) {
            throw new IllegalArgumentException("no new image");
        }
        JsonNode config = inspect.path("Config");
        if (!config.isObject()) {
            throw new IllegalArgumentException("inspect document has no Config");
        }
        String id = inspect.path("Id").asText("");
        String shortId = id.length() >= 12 ? id.substring(0, 12) : id;

        ObjectNode body = JSON.createObjectNode();
        for (String field : CONFIG_FIELDS) {
            JsonNode value = config.get(field);
            if (value != null && !value.isNull() && !(value.isTextual() && value.asText().isEmpty())) {
                body.set(field, value.deepCopy());
            }
        }
        // Docker defaults the hostname to the id prefix; only an explicit one is reproduced.
        String hostname = config.path("Hostname").asText("");
        // In another container's network namespace the hostname is that container's, and the engine
        // refuses a create body that names one ("conflicting options: hostname and the network mode").
        boolean sharedNamespace = inspect.path("HostConfig").path("NetworkMode").asText("").startsWith("container:");
        if (!hostname.isEmpty() && !hostname.equals(shortId) && !id.startsWith(hostname) && !sharedNamespace) {
            body.put("Hostname", hostname);
        }
        if (oldImage != null && oldImage.path("Config").isObject()) {
            dropImageDefaults(body, oldImage.path("Config"));
        }
        body.put("Image", newImage);
        changeLabels(body, labelsToSet, labelsToRemove);

        ObjectNode host = inspect.path("HostConfig").isObject()
                ? ((ObjectNode) inspect.get("HostConfig")).deepCopy() : JSON.createObjectNode();
        fixLinks(host);
        keepAnonymousVolumes(inspect, host);
        body.set("HostConfig", host);

        ObjectNode endpoints = JSON.createObjectNode();
        JsonNode networks = inspect.path("NetworkSettings").path("Networks");
        networks.fields().forEachRemaining(e -> {
            JsonNode net = e.getValue();
            ObjectNode ep = JSON.createObjectNode();
            ArrayNode aliases = JSON.createArrayNode();
            net.path("Aliases").forEach(a -> {
                if (!a.asText().equals(shortId)) {
                    aliases.add(a.asText());
                }
            });
            if (!aliases.isEmpty()) {
                ep.set("Aliases", aliases);
            }
            JsonNode ipam = net.get("IPAMConfig");
            if (ipam != null && ipam.isObject() && !ipam.isEmpty()) {
                ep.set("IPAMConfig", ipam.deepCopy());
            }
            JsonNode links = net.get("Links");
            if (links != null && links.isArray() && !links.isEmpty()) {
                ep.set("Links", links.deepCopy());
            }
            JsonNode driverOpts = net.get("DriverOpts");
            if (driverOpts != null && driverOpts.isObject() && !driverOpts.isEmpty()) {
                ep.set("DriverOpts", driverOpts.deepCopy());
            }
            endpoints.set(e.getKey(), ep);
        });
        ObjectNode networking = JSON.createObjectNode();
        networking.set("EndpointsConfig", endpoints);
        body.set("NetworkingConfig", networking);
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The create body {@code bodyJson} pointed from container {@code oldId} (now named {@code oldName},
     * or null when it is gone) to {@code newId} (named {@code newName}) wherever the engine pinned the
     * old one: {@code HostConfig.NetworkMode container:<oldId>}, a {@code VolumesFrom} entry
     * {@code <oldId>[:mode]} (compose writes ids there), and a legacy link to {@code oldName} (the
     * engine's link follows a rename, so after a recreate it names the kept old container). Anything
     * else is returned as it is.
     */
    public static String pointedAt(String bodyJson, String oldId, String oldName, String newId, String newName) {
        try {
            ObjectNode body = (ObjectNode) JSON.readTree(bodyJson);
            if (!(body.get("HostConfig") instanceof ObjectNode host)) {
                return bodyJson;
            }
            if (("container:" + oldId).equals(host.path("NetworkMode").asText())) {
                host.put("NetworkMode", "container:" + newId);
            }
            if (host.path("VolumesFrom").isArray()) {
                ArrayNode from = JSON.createArrayNode();
                host.get("VolumesFrom").forEach(v -> {
                    String entry = v.asText();
                    from.add(entry.equals(oldId) || entry.startsWith(oldId + ":") ? newId + entry.substring(oldId.length()) : entry);
                });
                host.set("VolumesFrom", from);
            }
            if (oldName != null && host.path("Links").isArray()) {
                ArrayNode links = JSON.createArrayNode();
                host.get("Links").forEach(l -> {
                    String link = l.asText(); // target:alias, as fixLinks wrote it
                    links.add(link.startsWith(oldName + ":") ? newName + link.substring(oldName.length()) : link);
                });
                host.set("Links", links);
            }
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException | ClassCastException e) {
            throw new IllegalArgumentException("not a create body: " + e.getMessage(), e);
        }
    }

    /** Removes from {@code body} every value the old image supplied, field by field. */
    private static void dropImageDefaults(ObjectNode body, JsonNode image) {
        for (String field : new String[] {"Cmd", "Entrypoint", "WorkingDir", "User", "Healthcheck", "StopSignal"}) {
            if (body.has(field) && body.get(field).equals(image.get(field))) {
                body.remove(field);
            }
        }
        if (body.path("Env").isArray()) {
            Set<String> defaults = new HashSet<>();
            image.path("Env").forEach(e -> defaults.add(e.asText()));
            ArrayNode own = JSON.createArrayNode();
            body.get("Env").forEach(e -> {
                if (!defaults.contains(e.asText())) {
                    own.add(e);
                }
            });
            body.set("Env", own);
        }
        for (String field : new String[] {"Labels", "ExposedPorts"}) {
            if (body.path(field).isObject()) {
                ObjectNode own = ((ObjectNode) body.get(field)).deepCopy();
                image.path(field).fields().forEachRemaining(e -> {
                    if (e.getValue().equals(own.get(e.getKey()))) {
                        own.remove(e.getKey());
                    }
                });
                body.set(field, own);
            }
        }
    }

    private static void changeLabels(ObjectNode body, Map<String, String> toSet, Collection<String> toRemove) {
        if (toSet.isEmpty() && toRemove.isEmpty()) {
            return;
        }
        ObjectNode labels = body.path("Labels").isObject() ? (ObjectNode) body.get("Labels") : JSON.createObjectNode();
        toRemove.forEach(labels::remove);
        toSet.forEach(labels::put);
        body.set("Labels", labels);
    }

    /** Inspect reports legacy links as {@code /other:/this/alias}; create wants {@code other:alias}. */
    private static void fixLinks(ObjectNode host) {
        JsonNode links = host.get("Links");
        if (links == null || !links.isArray()) {
            return;
        }
        ArrayNode fixed = JSON.createArrayNode();
        for (JsonNode l : links) {
            String s = l.asText();
            int colon = s.indexOf(':');
            if (s.startsWith("/") && colon > 0) {
                String target = s.substring(1, colon);
                String alias = s.substring(s.lastIndexOf('/') + 1);
                fixed.add(target + ":" + alias);
            } else {
                fixed.add(s);
            }
        }
        host.set("Links", fixed);
    }

    /**
     * Anonymous volumes (image VOLUME or {@code -v /path}) are not in HostConfig; without this the new
     * container would get fresh empty ones. Re-attach them by name, as compose does.
     */
    private static void keepAnonymousVolumes(JsonNode inspect, ObjectNode host) {
        Set<String> covered = new HashSet<>();
        host.path("Binds").forEach(b -> {
            String[] parts = b.asText().split(":");
            if (parts.length >= 2) {
                covered.add(parts[1]);
            }
        });
        host.path("Mounts").forEach(m -> covered.add(m.path("Target").asText()));
        ArrayNode binds = host.path("Binds").isArray() ? (ArrayNode) host.get("Binds") : JSON.createArrayNode();
        boolean added = false;
        for (JsonNode m : inspect.path("Mounts")) {
            String dest = m.path("Destination").asText("");
            String name = m.path("Name").asText("");
            if ("volume".equals(m.path("Type").asText()) && !name.isEmpty() && !dest.isEmpty() && !covered.contains(dest)) {
                binds.add(name + ":" + dest + (m.path("RW").asBoolean(true) ? "" : ":ro"));
                covered.add(dest);
                added = true;
            }
        }
        if (added) {
            host.set("Binds", binds);
        }
    }
}
