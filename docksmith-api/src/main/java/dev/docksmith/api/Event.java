package dev.docksmith.api;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Something that happened, sent to {@code /api/events} subscribers and to host listeners. Immutable
 * at the top level: the payload map is an unmodifiable copy (values inside it are not copied).
 *
 * @param type    dotted name from the contract: {@code update.progress}, {@code restart.progress},
 *                {@code container.stopped}, ...; a plugin's own events use a prefix of its own;
 *                not null
 * @param payload JSON-friendly values only (strings, numbers, booleans, lists, maps), in insertion
 *                order; never null (empty when null is given)
 * @param time    when it happened; never null (now when null is given)
 */
public record Event(String type, Map<String, Object> payload, Instant time) {
    /**
     * Checks and copies the components.
     *
     * @param type    dotted name of the event
     * @param payload JSON-friendly values; null means none
     * @param time    when it happened; null means now
     * @throws NullPointerException when {@code type} is null
     */
    public Event {
        Objects.requireNonNull(type, "type");
        payload = payload == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(payload));
        time = time == null ? Instant.now() : time;
    }

    /**
     * An event happening now (by the system clock; use the constructor with
     * {@code PluginContext.clock().instant()} where tests control time).
     *
     * @param type    dotted name of the event
     * @param payload JSON-friendly values; null means none
     * @return the event
     * @throws NullPointerException when {@code type} is null
     */
    public static Event of(String type, Map<String, Object> payload) {
        return new Event(type, payload, Instant.now());
    }
}
