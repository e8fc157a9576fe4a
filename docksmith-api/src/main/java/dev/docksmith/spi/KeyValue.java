package dev.docksmith.spi;

import java.util.List;
import java.util.Optional;

/**
 * Small durable values by namespace and key: script assignments, compose backups, cached answers.
 * Namespaces are independent of each other; pick one named after your plugin. Keys and values are
 * any strings, including empty ones and values of a few hundred kilobytes.
 *
 * <p>Every write is durable when the call returns (for a {@linkplain Store#persistent() persistent}
 * store). Implementations are thread-safe; each call is atomic on its own, but there are no
 * transactions across calls.
 */
public interface KeyValue {
    /**
     * Reads one value.
     *
     * @param namespace the namespace; not null
     * @param key       the key; not null
     * @return the value, or empty when there is none
     * @throws dev.docksmith.api.StorageException when the store cannot be read
     */
    Optional<String> get(String namespace, String key);

    /**
     * Inserts or replaces one value; durable on return.
     *
     * @param namespace the namespace; not null
     * @param key       the key; not null
     * @param value     the value; not null
     * @throws dev.docksmith.api.StorageException when the store cannot be written
     */
    void put(String namespace, String key, String value);

    /**
     * Removes one value; an absent key is ignored. Durable on return.
     *
     * @param namespace the namespace; not null
     * @param key       the key; not null
     * @throws dev.docksmith.api.StorageException when the store cannot be written
     */
    void delete(String namespace, String key);

    /**
     * Every key of one namespace.
     *
     * @param namespace the namespace; not null
     * @return the keys in {@link String#compareTo} order; empty when there are none, never null
     * @throws dev.docksmith.api.StorageException when the store cannot be read
     */
    List<String> keys(String namespace);
}
