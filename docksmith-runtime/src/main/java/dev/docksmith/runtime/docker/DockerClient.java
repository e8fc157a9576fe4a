package dev.docksmith.runtime.docker;

import com.fasterxml.jackson.databind.JsonNode;
import dev.docksmith.api.ContainerInfo;
import dev.docksmith.runtime.docker.transport.DockerHost;
import dev.docksmith.runtime.docker.transport.DockerTransport;
import dev.docksmith.runtime.docker.transport.HttpTransport;

import java.io.Closeable;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The Docker Engine API as Docksmith uses it. Thread-safe. Answers are the engine's own JSON; failures
 * are unchecked and name the action: {@link dev.docksmith.api.NotFoundException} (404),
 * {@link dev.docksmith.api.ConflictException} (409), {@link dev.docksmith.api.DockerException} with the
 * status otherwise, or status 0 when the engine is unreachable. The API version is negotiated on the
 * first call and again after the engine was unreachable, so an engine restart (even an upgrade) is
 * picked up without a new client.
 */
public final class DockerClient implements AutoCloseable {
    private final DockerTransport transport;
    private final EngineCaller engine;
    private final ContainerCalls containers;
    private final ContainerLogs logs;
    private final ImageCalls images;
    private final ResourceCalls resources;

    private DockerClient(DockerTransport transport, Duration callTimeout) {
        if (callTimeout.isNegative() || callTimeout.isZero()) {
            throw new IllegalArgumentException("call timeout must be positive: " + callTimeout);
        }
        this.transport = transport;
        this.engine = new EngineCaller(transport, callTimeout);
        this.containers = new ContainerCalls(engine);
        this.logs = new ContainerLogs(engine, containers);
        this.images = new ImageCalls(engine);
        this.resources = new ResourceCalls(engine);
    }

    /** A client for the host; {@code callTimeout} bounds connecting and each wait for the engine. */
    public static DockerClient create(DockerHost host, Duration callTimeout) {
        return new DockerClient(HttpTransport.create(Objects.requireNonNull(host, "host")), callTimeout);
    }

    /** A client over any transport (a fake in tests); the client closes it. */
    public static DockerClient create(DockerTransport transport, Duration callTimeout) {
        return new DockerClient(Objects.requireNonNull(transport, "transport"), callTimeout);
    }

    /** The API version spoken, e.g. "1.41"; negotiates when not known yet. */
    public String apiVersion() {
        return engine.apiVersion("negotiating the Docker API version").toString();
    }

    /** Where the engine is, e.g. {@code unix:///var/run/docker.sock}. */
    public String endpoint() {
        return engine.endpoint();
    }

    /** {@code GET /version}. */
    public JsonNode version() {
        return engine.json("reading the engine version", engine.request("GET", "/version"));
    }

    /** {@code GET /info}. */
    public JsonNode info() {
        return engine.json("reading engine info", engine.request("GET", "/info"));
    }

    // --- containers

    public JsonNode listContainers(boolean all) {
        return containers.list(all);
    }

    public JsonNode inspectContainer(String nameOrId) {
        return containers.inspect(nameOrId);
    }

    /** One container as Docksmith's model: the one place an inspect becomes a {@link ContainerInfo}. */
    public ContainerInfo container(String nameOrId) {
        return ContainerViews.fromInspect(inspectContainer(nameOrId));
    }

    /** Every container ({@code all}) or the running ones, as Docksmith's model. */
    public List<ContainerInfo> containers(boolean all) {
        return ContainerViews.fromList(listContainers(all));
    }

    /** Starts a container; already running is fine. */
    public void startContainer(String id) {
        containers.start(id);
    }

    /** Stops a container, killed after {@code timeout}; already stopped is fine. */
    public void stopContainer(String id, Duration timeout) {
        containers.stop(id, timeout);
    }

    public void restartContainer(String id, Duration timeout) {
        containers.restart(id, timeout);
    }

    /** {@code force} kills a running container first; {@code volumes} also removes its anonymous volumes. */
    public void removeContainer(String id, boolean force, boolean volumes) {
        containers.remove(id, force, volumes);
    }

    public void renameContainer(String id, String newName) {
        containers.rename(id, newName);
    }

    /** Creates a container from an engine create body ({@code Image}, {@code Cmd}, ...); returns its id. */
    public String createContainer(String name, JsonNode body) {
        return containers.create(name, body);
    }

    /**
     * stdout and stderr as one text, in arrival order.
     *
     * @param tail  last lines only, or null for all
     * @param since RFC 3339 or unix seconds, or null
     */
    public String logs(String id, Integer tail, String since, boolean timestamps) {
        return logs.logs(id, tail, since, timestamps);
    }

    /** One stats sample ({@code stream=false}). */
    public JsonNode stats(String id) {
        return containers.stats(id);
    }

    // --- images

    public JsonNode listImages() {
        return images.list(false);
    }

    /** {@code all} adds intermediate images (the untagged parents of locally built ones). */
    public JsonNode listImages(boolean all) {
        return images.list(all);
    }

    /** Returns the engine's deleted/untagged list. */
    public JsonNode removeImage(String id, boolean force) {
        return images.remove(id, force);
    }

    /** Adds the name {@code repository:tag} to an image. */
    public void tagImage(String source, String repository, String tag) {
        images.tag(source, repository, tag);
    }

    /** Pulls anonymously (or with the engine's own credentials), reporting each progress line. */
    public void pullImage(String reference, Consumer<JsonNode> progress) {
        images.pull(reference, null, progress);
    }

    /** Pulls with an {@code X-Registry-Auth} value (base64url JSON of username/password or identitytoken). */
    public void pullImage(String reference, String registryAuth, Consumer<JsonNode> progress) {
        images.pull(reference, registryAuth, progress);
    }

    // --- networks and volumes

    public JsonNode listNetworks() {
        return resources.listNetworks();
    }

    /** Creates a bridge network; returns its id. */
    public String createNetwork(String name, Map<String, String> labels) {
        return resources.createNetwork(name, labels);
    }

    public void removeNetwork(String id) {
        resources.removeNetwork(id);
    }

    /** The volumes as an array (the engine's {@code Volumes}). */
    public JsonNode listVolumes() {
        return resources.listVolumes();
    }

    /** Creates a local volume; returns its name. */
    public String createVolume(String name, Map<String, String> labels) {
        return resources.createVolume(name, labels);
    }

    public void removeVolume(String name, boolean force) {
        resources.removeVolume(name, force);
    }

    /**
     * Removes unused containers, images, networks or volumes ({@code kind}) and returns the engine's
     * report. {@code all} also removes unused tagged images and unused named volumes; without it
     * images are only dangling ones and volumes only anonymous ones (below API 1.42, whose engine
     * prune takes named volumes too, by removing the unused anonymous volumes one by one).
     */
    public JsonNode prune(String kind, boolean all) {
        return resources.prune(kind, all, Map.of());
    }

    /** Image, network or volume details; {@link dev.docksmith.api.NotFoundException} when absent. */
    public JsonNode inspectImage(String nameOrId) {
        return images.inspect(nameOrId);
    }

    public JsonNode inspectNetwork(String id) {
        return resources.inspectNetwork(id);
    }

    public JsonNode inspectVolume(String name) {
        return resources.inspectVolume(name);
    }

    /** Prunes everything unused of {@code kind} that carries all of these labels (tests use it to stay in their own lane). */
    public JsonNode prune(String kind, Map<String, String> labels) {
        return resources.prune(kind, true, labels);
    }

    // --- events

    /**
     * Streams engine events until closed; the request is made before this returns (an unreachable
     * engine throws here). {@code onEnd} gets the reason when the stream ends by itself (engine gone,
     * {@code onEvent} threw) and is not called after {@code close()}.
     */
    public Closeable streamEvents(Consumer<JsonNode> onEvent, Consumer<Throwable> onEnd) {
        return EventStream.start(engine, Map.of(), onEvent, onEnd);
    }

    /** As {@link #streamEvents(Consumer, Consumer)} with engine filters, e.g. {@code type=[container]}. */
    public Closeable streamEvents(Map<String, List<String>> filters, Consumer<JsonNode> onEvent,
                                  Consumer<Throwable> onEnd) {
        return EventStream.start(engine, filters, onEvent, onEnd);
    }

    /** Closes pooled connections; open event streams stay open until they are closed. */
    @Override
    public void close() {
        transport.close();
    }
}
