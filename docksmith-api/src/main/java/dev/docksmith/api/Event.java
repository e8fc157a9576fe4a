package dev.docksmith.api;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * Something that happened, sent to {@code /api/events} subscribers and to host listeners.
 *
 * @param type    dotted name from the contract: {@code update.progress}, {@code restart.progress},
 *                {@code container.stopped}, ...
 * @param payload JSON-friendly values only (strings, numbers, booleans, lists, maps)
 * @param time    when it happened
 */
public record Event(String type, Map<String, Object> payload, Instant time) {
    public Event {
        Objects.requireNonNull(type, "type");
        payload = payload == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(payload));
        time = time == null ? Instant.now() : time;
    }

    /** An event happening now. */
    public static Event of(String type, Map<String, Object> payload) {
        return new Event(type, payload, Instant.now());
    }
}
