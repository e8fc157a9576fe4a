package dev.docksmith.runtime.docker;

import com.fasterxml.jackson.databind.JsonNode;
import dev.docksmith.api.DockerException;
import dev.docksmith.runtime.json.Json;
import dev.docksmith.runtime.docker.transport.DockerRequest;

import java.time.Duration;

/** The {@code /containers} endpoints, except logs (see {@link ContainerLogs}). */
final class ContainerCalls {
    private static final int NOT_MODIFIED = 304;
    private final EngineCaller engine;

    ContainerCalls(EngineCaller engine) {
        this.engine = engine;
    }

    JsonNode list(boolean all) {
        return engine.json("listing containers",
                engine.request("GET", "/containers/json" + new DockerPaths.Query().flag("all", all)));
    }

    JsonNode inspect(String nameOrId) {
        return engine.json("inspecting container " + nameOrId,
                engine.request("GET", "/containers/" + DockerPaths.name("container", nameOrId) + "/json"));
    }

    /** Already running is not an error: the engine answers 304 and the container is where we want it. */
    void start(String id) {
        engine.call("starting container " + id,
                engine.request("POST", "/containers/" + DockerPaths.name("container", id) + "/start"), NOT_MODIFIED);
    }

    /** Already stopped is fine (304). The engine waits up to {@code timeout} before killing, so we wait longer. */
    void stop(String id, Duration timeout) {
        engine.call("stopping container " + id, graceful("/stop", id, timeout), NOT_MODIFIED);
    }

    void restart(String id, Duration timeout) {
        engine.call("restarting container " + id, graceful("/restart", id, timeout));
    }

    void remove(String id, boolean force, boolean volumes) {
        engine.call("removing container " + id, engine.request("DELETE", "/containers/"
                + DockerPaths.name("container", id) + new DockerPaths.Query().flag("force", force).flag("v", volumes)));
    }

    void rename(String id, String newName) {
        engine.call("renaming container " + id + " to " + newName, engine.request("POST", "/containers/"
                + DockerPaths.name("container", id) + "/rename" + new DockerPaths.Query().add("name", nameOf(newName))));
    }

    /** Creates a container from an engine {@code ContainerConfig} body; returns its id. */
    String create(String name, JsonNode body) {
        String query = name == null ? "" : new DockerPaths.Query().add("name", nameOf(name)).toString();
        String action = name == null ? "creating a container" : "creating container " + name;
        JsonNode created = engine.json(action,
                engine.request("POST", "/containers/create" + query).withJson(Json.bytes(body)));
        String id = created.path("Id").asText("");
        if (id.isEmpty()) {
            throw new DockerException(500, action + ": the engine returned no Id");
        }
        return id;
    }

    /** One sample ({@code stream=false}): the engine waits for a second reading so CPU deltas are filled in. */
    JsonNode stats(String id) {
        return engine.json("reading stats of container " + id, engine.request("GET", "/containers/"
                + DockerPaths.name("container", id) + "/stats" + new DockerPaths.Query().add("stream", "false")));
    }

    private DockerRequest graceful(String action, String id, Duration timeout) {
        long seconds = Math.max(0, (timeout.toMillis() + 999) / 1000);
        return engine.request("POST", "/containers/" + DockerPaths.name("container", id) + action
                        + new DockerPaths.Query().add("t", seconds))
                .withTimeout(engine.callTimeout().plusSeconds(seconds));
    }

    /** A new container name: the same rules as a path segment, sent without the engine's leading '/'. */
    private static String nameOf(String name) {
        DockerPaths.name("container", name);
        return name.startsWith("/") ? name.substring(1) : name;
    }
}
