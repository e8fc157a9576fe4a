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
}
