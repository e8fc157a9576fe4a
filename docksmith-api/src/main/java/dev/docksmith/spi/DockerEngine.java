package dev.docksmith.spi;

import dev.docksmith.api.ContainerInfo;

import java.time.Duration;
import java.util.List;

/**
 * What plugins may ask of the Docker engine; the runtime implements it over its own client, on the
 * engine it manages ({@code DOCKER_HOST}). Thread-safe. Each call blocks until the engine answers,
 * within the runtime's engine timeout ({@code DOCKSMITH_DOCKER_TIMEOUT}); a pull, as long as its
 * progress never pauses for that long.
 *
 * <p>Failures are unchecked: {@link dev.docksmith.api.NotFoundException} when the container or
 * image does not exist, {@link dev.docksmith.api.ConflictException} when the engine answers 409 (a
 * name already in use, a running container removed without force), and
 * {@link dev.docksmith.api.DockerException} for anything else, with the engine's status (0 when the
 * engine could not be reached). Their messages say what was being done.
 *
 * <p>The methods with defaults were added after the first release; a facade that predates them (a
 * test double, say) throws {@link UnsupportedOperationException}. The runtime's facade implements
 * them all.
 */
public interface DockerEngine {
    /**
     * Every container, running or not.
     *
     * @return the containers, never null
     */
    List<ContainerInfo> containers();

    /**
     * One container by name or id.
     *
     * @param nameOrId a container name (without the leading slash) or id
     * @return the container, never null
     * @throws dev.docksmith.api.NotFoundException when there is no such container
     */
    ContainerInfo container(String nameOrId);

    /**
     * Starts a container; already running is fine.
     *
     * @param id the container's id (or name)
     * @throws dev.docksmith.api.NotFoundException when there is no such container
     */
    void start(String id);

    /**
     * Stops a container, killing it after {@code timeout}; already stopped is fine.
     *
     * @param id      the container's id (or name)
     * @param timeout how long it has to stop after the stop signal
     * @throws dev.docksmith.api.NotFoundException when there is no such container
     */
    void stop(String id, Duration timeout);

    /**
     * Renames a container.
     *
     * @param id      the container's id (or name)
     * @param newName the new name, without a leading slash
     * @throws dev.docksmith.api.NotFoundException when there is no such container
     * @throws dev.docksmith.api.ConflictException when another container has that name
     */
    void rename(String id, String newName);

    /**
     * Removes a container (its anonymous volumes stay).
     *
     * @param id    the container's id (or name)
     * @param force true to kill a running container first; false refuses a running one
     * @throws dev.docksmith.api.NotFoundException when there is no such container
     * @throws dev.docksmith.api.ConflictException when it runs and {@code force} is false
     */
    void remove(String id, boolean force);

    /**
     * The engine's full inspect document of a container, as JSON text (the Engine API's
     * {@code GET /containers/{id}/json}); plugins parse it with whatever JSON library they carry.
     *
     * @param nameOrId a container name or id
     * @return the document as JSON text, never null
     * @throws dev.docksmith.api.NotFoundException when there is no such container
     * @throws UnsupportedOperationException       from a facade that cannot inspect
     */
    default String inspectJson(String nameOrId) {
        throw new UnsupportedOperationException("this engine facade cannot inspect");
    }

    /**
     * The engine's inspect document of an image ({@code GET /images/{name}/json}) as JSON text, so a
     * strategy can tell a container's own settings from the defaults its image brought.
     *
     * @param nameOrId an image reference or id
     * @return the document as JSON text, never null
     * @throws dev.docksmith.api.NotFoundException when the engine has no such image
     * @throws UnsupportedOperationException       from a facade that cannot inspect images
     */
    default String inspectImageJson(String nameOrId) {
        throw new UnsupportedOperationException("this engine facade cannot inspect images");
    }

    /**
     * Creates a container from an Engine API create body given as JSON text
     * ({@code POST /containers/create}); it is not started.
     *
     * @param name           the new container's name
     * @param createBodyJson the create body ({@code Image}, {@code Cmd}, {@code HostConfig}, ...)
     * @return the new container's id, never null
     * @throws dev.docksmith.api.ConflictException when the name is in use
     * @throws dev.docksmith.api.NotFoundException when the image is not on the host
     * @throws UnsupportedOperationException       from a facade that cannot create containers
     */
    default String create(String name, String createBodyJson) {
        throw new UnsupportedOperationException("this engine facade cannot create containers");
    }

    /**
     * Pulls an image reference, returning when the pull has finished (it waits as long as the pull
     * takes while it makes progress, and gives up after the engine timeout without any). No registry
     * credentials are sent with it.
     *
     * @param reference the image reference ({@code nginx:1.27}, {@code ghcr.io/x/y@sha256:...}); one
     *                  without a tag or digest pulls {@code latest}
     * @throws dev.docksmith.api.DockerException   when the engine or the registry refuses or fails it
     * @throws dev.docksmith.api.NotFoundException when the engine answers that the image does not exist
     * @throws UnsupportedOperationException       from a facade that cannot pull
     */
    default void pull(String reference) {
        throw new UnsupportedOperationException("this engine facade cannot pull");
    }
}
