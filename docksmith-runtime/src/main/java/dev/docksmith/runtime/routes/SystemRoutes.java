package dev.docksmith.runtime.routes;

import com.fasterxml.jackson.databind.JsonNode;
import dev.docksmith.api.DockerException;
import dev.docksmith.runtime.docker.DockerClient;
import dev.docksmith.runtime.http.Reply;
import dev.docksmith.runtime.http.Request;
import dev.docksmith.runtime.http.Router;
import dev.docksmith.runtime.http.Routes;
import dev.docksmith.runtime.plugin.PluginLoader;
import dev.docksmith.runtime.stack.ComposeDetector;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/** {@code /api/health}, {@code /api/status} and {@code /api/docker-config}. */
public final class SystemRoutes implements Routes {
    private final String version;
    private final DockerClient docker;
    private final ComposeDetector compose;
    private final PluginLoader plugins;
    private final Supplier<Map<String, Object>> storeInfo;
    private final Supplier<Map<String, Object>> checkStatus;

    public SystemRoutes(String version, DockerClient docker, ComposeDetector compose, PluginLoader plugins,
                        Supplier<Map<String, Object>> storeInfo, Supplier<Map<String, Object>> checkStatus) {
        this.version = version;
        this.docker = docker;
        this.compose = compose;
        this.plugins = plugins;
        this.storeInfo = storeInfo;
        this.checkStatus = checkStatus;
    }

    @Override
    public void routing(Router router) {
        // Health says the server answers; it never calls the engine, so a monitor sees Docksmith itself.
        router.get("/api/health", r -> Reply.raw(200, Map.of("status", "ok", "version", version)));
        router.get("/api/status", r -> checkStatus.get());
        router.get("/api/docker-config", this::dockerConfig);
    }

    private Map<String, Object> dockerConfig(Request request) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("docker_host", docker.endpoint());
        try {
            JsonNode v = docker.version();
            data.put("reachable", true);
            data.put("engine_version", v.path("Version").asText(null));
            data.put("api_version", docker.apiVersion());
            data.put("engine_api_version", v.path("ApiVersion").asText(null));
            data.put("engine_min_api_version", v.path("MinAPIVersion").asText(null));
            data.put("os", v.path("Os").asText(null));
            data.put("arch", v.path("Arch").asText(null));
        } catch (DockerException e) {
            data.put("reachable", false);
            data.put("error", e.getMessage());
        }
        ComposeDetector.Found found = compose.find();
        Map<String, Object> composeInfo = new LinkedHashMap<>();
        composeInfo.put("v2", found.v2().orElse(null));
        composeInfo.put("v1", found.v1().orElse(null));
        composeInfo.put("command", found.preferred().orElse(null));
        data.put("compose", composeInfo);
        data.put("store", storeInfo.get());
        Map<String, Object> pluginInfo = new LinkedHashMap<>();
        pluginInfo.put("loaded", plugins.loaded().stream().map(p -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", p.name());
            m.put("spi", p.spi());
            m.put("class", p.className());
            m.put("jar", p.source());
            m.put("version", p.version());
            m.put("api_version", p.apiVersion());
            return m;
        }).toList());
        pluginInfo.put("failed", plugins.failed().stream().map(f -> Map.of(
                "spi", f.spi(), "provider", f.provider(), "jar", f.source(), "reason", f.reason())).toList());
        data.put("plugins", pluginInfo);
        return data;
    }
}
