package dev.docksmith.runtime.routes;

import dev.docksmith.api.Event;
import dev.docksmith.runtime.docker.DockerClient;
import dev.docksmith.runtime.http.Reply;
import dev.docksmith.runtime.http.Request;
import dev.docksmith.runtime.http.Router;
import dev.docksmith.runtime.http.Routes;
import dev.docksmith.runtime.http.SseSource;
import dev.docksmith.runtime.stack.RestartProgress;
import dev.docksmith.runtime.stack.Restarter;

/** The restart routes, including the one that streams its progress as server-sent events. */
public final class RestartRoutes implements Routes {
    private final Restarter restarter;
    private final DockerClient docker;

    public RestartRoutes(Restarter restarter, DockerClient docker) {
        this.restarter = restarter;
        this.docker = docker;
    }

    @Override
    public void routing(Router router) {
        router.post("/api/restart", r -> ResourceViews.restarted(restarter.restart(
                BodyFields.requiredText(r.json(), "container", "container_name", "name"), RestartProgress.NONE)));
        router.post("/api/restart/container/{name}", r -> ResourceViews.restarted(restarter.restart(r.param("name"), RestartProgress.NONE)));
        router.post("/api/restart/stack/{name}", r -> ResourceViews.restarted(restarter.restartStack(r.param("name"), RestartProgress.NONE)));
        router.post("/api/restart/start/{name}", this::restartWithProgress);
    }

    /**
     * Checks the container exists before the stream opens (so an unknown name is a plain 404), then
     * restarts it on its own thread: a client that disconnects does not leave a restart half done.
     */
    private Reply restartWithProgress(Request request) {
        String name = request.param("name");
        docker.inspectContainer(name);
        return Reply.sse(SseSource.of(sink ->
                restarter.restart(name, payload -> sink.publish(Event.of("restart.progress", payload)))));
    }
}
