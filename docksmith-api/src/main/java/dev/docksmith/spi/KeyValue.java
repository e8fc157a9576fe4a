package dev.docksmith.spi;

import java.util.List;
import java.util.Optional;

/**
 * Small durable values by namespace and key: script assignments, compose backups, cached answers.
 * Every write is durable when the call returns.
 */
public interface KeyValue {
    /** The value, if present. */
    Optional<String> get(String namespace, String key);

    /** Inserts or replaces. */
    void put(String namespace, String key, String value);

    /** Removes; absent keys are ignored. */
    void delete(String namespace, String key);

    /** Every key in a namespace, sorted. */
    List<String> keys(String namespace);
}
