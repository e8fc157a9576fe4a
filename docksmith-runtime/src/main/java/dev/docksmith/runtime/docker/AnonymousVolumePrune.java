package dev.docksmith.runtime.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.docksmith.runtime.json.Json;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Volume prune for engines below API 1.42, whose own {@code POST /volumes/prune} removes every unused
 * volume, named ones included (from 1.42 it spares them unless asked for {@code all}). Named volumes
 * hold data, so here the unused volumes are listed and only the anonymous ones removed, one by one.
 * The answer has the engine's prune shape ({@code VolumesDeleted}, {@code SpaceReclaimed}).
 */
final class AnonymousVolumePrune {
    /**
     * Before API 1.42 nothing marks a volume anonymous but its name, a random 64-hex id. A volume
     * someone named that way on purpose would be taken for anonymous; no other name ever is.
     */
    private static final Pattern ANONYMOUS = Pattern.compile("[0-9a-f]{64}");
    private static final int NOT_FOUND = 404;
    private static final int IN_USE = 409;

    private final EngineCaller engine;
    private final Duration timeout;

    /** {@code timeout} bounds the size measurement, which walks every volume on the host. */
    AnonymousVolumePrune(EngineCaller engine, Duration timeout) {
        this.engine = engine;
        this.timeout = timeout;
    }

    /** Removes unused anonymous volumes matching {@code filters} (the engine's, e.g. {@code label}). */
    JsonNode prune(Map<String, List<String>> filters) {
        Map<String, List<String>> unused = new LinkedHashMap<>(filters);
        unused.put("dangling", List.of("true"));
        JsonNode listed = engine.json("pruning volumes", engine.request("GET", "/volumes"
                + new DockerPaths.Query().filters(unused))).path("Volumes");
        List<String> anonymous = new ArrayList<>();
        for (JsonNode volume : listed) {
            String name = volume.path("Name").asText();
            if (ANONYMOUS.matcher(name).matches()) {
                anonymous.add(name);
            }
        }
        ArrayNode deleted = Json.array();
        long reclaimed = 0;
        if (!anonymous.isEmpty()) {
            Map<String, Long> sizes = sizes();
            for (String name : anonymous) {
                // One a container took since the list (409) or that is gone already (404) is left out,
                // as the engine's own prune skips a volume that is in use.
                int status = engine.call("pruning volumes: removing volume " + name, engine.request("DELETE",
                        "/volumes/" + DockerPaths.name("volume", name)), NOT_FOUND, IN_USE);
                if (status != NOT_FOUND && status != IN_USE) {
                    deleted.add(name);
                    reclaimed += sizes.getOrDefault(name, 0L);
                }
            }
        }
        ObjectNode report = Json.object();
        report.set("VolumesDeleted", deleted);
        report.put("SpaceReclaimed", reclaimed);
        return report;
    }

    /**
     * What the engine measured of each volume just before removal ({@code /system/df}), the only size
     * it reports: volume removal says nothing. Counted is what a local volume's files take; a driver
     * that cannot measure (size -1) counts 0. Measured before anything is removed, so an engine that
     * cannot answer fails the prune with nothing changed. For this answer a 1.41 engine measures every
     * volume, image and container, which is why it is asked only when there is something to remove.
     */
    private Map<String, Long> sizes() {
        JsonNode usage = engine.json("pruning volumes: measuring volume sizes",
                engine.request("GET", "/system/df").withTimeout(timeout));
        Map<String, Long> sizes = new HashMap<>();
        for (JsonNode volume : usage.path("Volumes")) {
            long size = volume.path("UsageData").path("Size").asLong(-1);
            if (size > 0) {
                sizes.put(volume.path("Name").asText(), size);
            }
        }
        return sizes;
    }
}
