package dev.docksmith.runtime.http;

import dev.docksmith.api.BadRequestException;
import dev.docksmith.api.ConflictException;
import dev.docksmith.api.DockerException;
import dev.docksmith.api.DocksmithException;
import dev.docksmith.api.NotFoundException;
import dev.docksmith.api.StorageException;

import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The routes the HTTP tests exercise: one of each shape and one failure of each kind. */
final class TestRoutes implements Routes {
    record Labels(String container, List<String> labels, int count) {
    }

    @Override
    public void routing(Router router) {
        router.get("/api/health", r -> Reply.raw(200, Map.of("status", "ok", "version", "1.2.3")));
        router.get("/api/containers/{name}/logs", r -> Map.of("name", r.param("name"), "tail", r.queryInt("tail", 100)));
        router.delete("/api/containers/{name}", r -> Map.of("removed", r.param("name"), "force", r.queryBool("force", false)));
        router.post("/api/containers/{name}/stop", r -> Map.of("stopped", r.param("name")));
        router.get("/api/registry/tags/{image...}", r -> Map.of("image_ref", r.param("image")));
        router.get("/api/scripts/assigned", r -> "literal");
        router.get("/api/scripts/{name}", r -> "param:" + r.param("name"));
        router.post("/api/echo", r -> r.json());
        router.post("/api/labels", r -> r.read(Labels.class));
        router.get("/api/created", r -> Reply.data(201, Map.of("id", "x")));
        router.get("/api/text", r -> Reply.text(200, "text/plain; charset=utf-8", "hello"));
        router.get("/api/null", r -> null);
        router.get("/api/unserialisable", r -> new Object());
        router.get("/api/fail/{kind}", r -> {
            throw failure(r.param("kind"));
        });
    }

    /** Each kind with the status and code the contract gives it. */
    static final Map<String, Object[]> FAILURES = new LinkedHashMap<>();

    static {
        FAILURES.put("not-found", new Object[]{404, "NOT_FOUND"});
        FAILURES.put("bad-request", new Object[]{400, "BAD_REQUEST"});
        FAILURES.put("conflict", new Object[]{409, "CONFLICT"});
        FAILURES.put("docker-unreachable", new Object[]{500, "DOCKER_UNAVAILABLE"});
        FAILURES.put("docker-400", new Object[]{400, "BAD_REQUEST"});
        FAILURES.put("docker-403", new Object[]{409, "CONFLICT"});
        FAILURES.put("docker-404", new Object[]{404, "NOT_FOUND"});
        FAILURES.put("docker-409", new Object[]{409, "CONFLICT"});
        FAILURES.put("docker-500", new Object[]{500, "DOCKER_ERROR"});
        FAILURES.put("storage", new Object[]{500, "STORAGE_ERROR"});
        FAILURES.put("rate-limited", new Object[]{429, "RATE_LIMITED"});
        FAILURES.put("docksmith", new Object[]{500, "INTERNAL_ERROR"});
        FAILURES.put("runtime", new Object[]{500, "INTERNAL_ERROR"});
        FAILURES.put("checked", new Object[]{500, "INTERNAL_ERROR"});
    }

    static Exception failure(String kind) {
        switch (kind) {
            case "not-found": return new NotFoundException("container not found: nginx");
            case "bad-request": return new BadRequestException("'container' is required");
            case "conflict": return new ConflictException("an update of nginx is already running");
            case "docker-unreachable":
                return new DockerException(0, "cannot reach the Docker engine at unix:///var/run/docker.sock");
            case "docker-400": return new DockerException(400, "engine: invalid reference format");
            case "docker-403": return new DockerException(403, "engine: bridge is a pre-defined network and cannot be removed");
            case "docker-404": return new DockerException(404, "engine: no such image: foo");
            case "docker-409": return new DockerException(409, "engine: image is in use by container abc");
            case "docker-500": return new DockerException(500, "engine: driver failed");
            case "storage": return new StorageException("writing operation op_1", new IOException("disk full"));
            case "rate-limited": return new RateLimitedException("a check is already running", Duration.ofSeconds(30));
            case "docksmith": return new DocksmithException("removing image sha256:ab12");
            case "runtime": return new IllegalStateException("secret internal detail");
            case "checked": return new IOException("secret internal detail");
            default: return new IllegalArgumentException("unknown kind " + kind);
        }
    }
}
