package dev.docksmith.runtime.routes;

import dev.docksmith.api.BadRequestException;
import dev.docksmith.api.ContainerInfo;
import dev.docksmith.runtime.docker.DockerClient;
import dev.docksmith.runtime.http.Request;
import dev.docksmith.runtime.http.Router;
import dev.docksmith.runtime.http.Routes;
import dev.docksmith.runtime.stack.RestartProgress;
import dev.docksmith.runtime.stack.Restarter;
import dev.docksmith.runtime.operations.OperationLog;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;

/** {@code /api/containers/{name}/...}: logs, inspect, stats, stop, start, restart, and removal. */
public final class ContainerRoutes implements Routes {
    static final int DEFAULT_TAIL = 100;
    static final int DEFAULT_STOP_SECONDS = 10;

    private final DockerClient docker;
    private final OperationLog operations;
    private final Restarter restarter;

    public ContainerRoutes(DockerClient docker, OperationLog operations, Restarter restarter) {
        this.docker = docker;
        this.operations = operations;
        this.restarter = restarter;
    }

    @Override
    public void routing(Router router) {
        router.get("/api/containers/{name}/logs", this::logs);
        router.get("/api/containers/{name}/inspect", r -> docker.inspectContainer(r.param("name")));
        router.get("/api/containers/{name}/stats", r -> StatsView.of(docker.stats(r.param("name"))));
        router.post("/api/containers/{name}/stop", this::stop);
        router.post("/api/containers/{name}/start", this::start);
        router.post("/api/containers/{name}/restart", r -> ResourceViews.restarted(restarter.restart(r.param("name"), RestartProgress.NONE)));
        router.delete("/api/containers/{name}", this::remove);
    }

    private Map<String, Object> logs(Request request) {
        String name = request.param("name");
        Integer tail = tail(request);
        String since = request.query("since").map(ContainerRoutes::since).orElse(null);
        return Map.of("logs", docker.logs(name, tail, since, request.queryBool("timestamps", false)));
    }

    private Map<String, Object> stop(Request request) {
        int seconds = request.queryInt("timeout", DEFAULT_STOP_SECONDS);
        if (seconds < 0) {
            // The engine would take a negative timeout as "stop now" (or "wait forever"): refuse it.
            throw new BadRequestException("query parameter 'timeout' must be 0 or more seconds, was " + seconds);
        }
        ContainerInfo c = find(request.param("name"));
        Duration timeout = Duration.ofSeconds(seconds);
        var recorded = operations.run("stop", c.name(), c.stack(), op -> {
            docker.stopContainer(c.id(), timeout);
            return null;
        });
        return ResourceViews.result(c, recorded.operation().id(), "stopped");
    }

    private Map<String, Object> start(Request request) {
        ContainerInfo c = find(request.param("name"));
        var recorded = operations.run("start", c.name(), c.stack(), op -> {
            docker.startContainer(c.id());
            return null;
        });
        return ResourceViews.result(c, recorded.operation().id(), "started");
    }

    private Map<String, Object> remove(Request request) {
        ContainerInfo c = find(request.param("name"));
        boolean force = request.queryBool("force", false);
        boolean volumes = request.queryBool("volumes", false);
        var recorded = operations.run("remove", c.name(), c.stack(), op -> {
            docker.removeContainer(c.id(), force, volumes);
            return null;
        });
        return ResourceViews.result(c, recorded.operation().id(), "removed");
    }

    /** Looks the container up first, so an unknown name is a 404 and no operation is recorded. */
    private ContainerInfo find(String name) {
        return docker.container(name);
    }

    private static Integer tail(Request request) {
        String text = request.query("tail").orElse(String.valueOf(DEFAULT_TAIL));
        if (text.equals("all")) {
            return null;
        }
        try {
            int n = Integer.parseInt(text);
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new BadRequestException("tail must be a number of lines (0 or more) or 'all', was '" + text + "'");
    }

    /** RFC 3339 ({@code 2024-01-15T10:00:00Z}) or unix seconds; anything else is the caller's mistake. */
    static String since(String text) {
        if (text.matches("\\d{1,12}")) {
            return text;
        }
        try {
            return String.valueOf(Instant.parse(text).getEpochSecond());
        } catch (DateTimeParseException e) {
            throw new BadRequestException("since must be an RFC 3339 time (2024-01-15T10:00:00Z) or unix seconds, was '" + text + "'");
        }
    }
}
