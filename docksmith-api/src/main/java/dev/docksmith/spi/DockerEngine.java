package dev.docksmith.spi;

import dev.docksmith.api.ContainerInfo;

import java.time.Duration;
import java.util.List;

/**
 * What plugins may ask of the Docker engine; the runtime implements it over its own client.
 * Failures are {@link dev.docksmith.api.DockerException}; an unknown container is
 * {@link dev.docksmith.api.NotFoundException}.
 */
public interface DockerEngine {
    /** Every container, running or not. */
    List<ContainerInfo> containers();

    /** One container by name or id. */
    ContainerInfo container(String nameOrId);

    /** Starts a container; already running is fine. */
    void start(String id);

    /** Stops a container, killing it after {@code timeout}; already stopped is fine. */
    void stop(String id, Duration timeout);

    /** Renames a container. */
    void rename(String id, String newName);

    /** Removes a container; {@code force} kills a running one first. */
    void remove(String id, boolean force);

    /**
     * The engine's full inspect document of a container, as JSON text (the Engine API's
     * {@code GET /containers/{id}/json}); plugins parse it with whatever JSON library they carry.
     */
    default String inspectJson(String nameOrId) {
        throw new UnsupportedOperationException("this engine facade cannot inspect");
    }

    /**
     * The engine's inspect document of an image ({@code GET /images/{name}/json}) as JSON text, so a
     * strategy can tell a container's own settings from the defaults its image brought.
     */
    default String inspectImageJson(String nameOrId) {
        throw new UnsupportedOperationException("this engine facade cannot inspect images");
    }

    /**
     * Creates a container from an Engine API create body given as JSON text
     * ({@code POST /containers/create}); returns its id.
     */
    default String create(String name, String createBodyJson) {
        throw new UnsupportedOperationException("this engine facade cannot create containers");
    }

    /** Pulls an image reference; {@link dev.docksmith.api.DockerException} when the registry refuses. */
    default void pull(String reference) {
        throw new UnsupportedOperationException("this engine facade cannot pull");
    }
}
