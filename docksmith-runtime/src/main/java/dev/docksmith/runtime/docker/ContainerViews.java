package dev.docksmith.runtime.docker;

import com.fasterxml.jackson.databind.JsonNode;
import dev.docksmith.api.ContainerInfo;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns the engine's container JSON (from a list or an inspect) into {@link ContainerInfo}. */
public final class ContainerViews {
    private ContainerViews() {
    }

    /** From one element of {@code GET /containers/json}. */
    public static ContainerInfo fromListEntry(JsonNode c) {
        String name = c.path("Names").path(0).asText(c.path("Id").asText());
        return new ContainerInfo(c.path("Id").asText(), stripSlash(name), c.path("Image").asText(null),
                c.path("ImageID").asText(null), c.path("State").asText(null), labels(c.path("Labels")),
                c.has("Created") ? Instant.ofEpochSecond(c.path("Created").asLong()) : null);
    }

    /** Every element of {@code GET /containers/json}. */
    public static List<ContainerInfo> fromList(JsonNode entries) {
        List<ContainerInfo> all = new ArrayList<>();
        for (JsonNode c : entries) {
            all.add(fromListEntry(c));
        }
        return all;
    }

    /** From {@code GET /containers/{id}/json}. */
    public static ContainerInfo fromInspect(JsonNode c) {
        return new ContainerInfo(c.path("Id").asText(), stripSlash(c.path("Name").asText()),
                c.path("Config").path("Image").asText(null), c.path("Image").asText(null),
                c.path("State").path("Status").asText(null), labels(c.path("Config").path("Labels")),
                instant(c.path("Created").asText(null)));
    }

    static Map<String, String> labels(JsonNode node) {
        Map<String, String> labels = new LinkedHashMap<>();
        if (node != null && node.isObject()) {
            node.fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
        }
        return labels;
    }

    static String stripSlash(String name) {
        return name != null && name.startsWith("/") ? name.substring(1) : name;
    }

    static Instant instant(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null; // the engine writes zero times as "0001-01-01T00:00:00Z"; anything odd just stays unknown
        }
    }
}
