package dev.docksmith.api;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A container as discovery sees it.
 *
 * @param id      full container id
 * @param name    name without the leading slash
 * @param image   the image reference it was created from, as the engine reports it
 * @param imageId the image id ({@code sha256:...})
 * @param state   the engine's state: {@code running}, {@code exited}, {@code created}, ...
 * @param labels  every label; never null
 * @param created when it was created
 */
public record ContainerInfo(String id, String name, String image, String imageId, String state,
                            Map<String, String> labels, Instant created) {
    /** Compose's project label. */
    public static final String COMPOSE_PROJECT = "com.docker.compose.project";
    /** Compose's service label. */
    public static final String COMPOSE_SERVICE = "com.docker.compose.service";
    /** Compose's working directory label. */
    public static final String COMPOSE_WORKING_DIR = "com.docker.compose.project.working_dir";
    /** Compose's comma-separated config files label. */
    public static final String COMPOSE_CONFIG_FILES = "com.docker.compose.project.config_files";
    /** Compose's depends_on label (v2 only): {@code svc:condition:restart,...}. */
    public static final String COMPOSE_DEPENDS_ON = "com.docker.compose.depends_on";

    public ContainerInfo {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }

    /** The compose project (stack) this container belongs to, or null. */
    public String stack() {
        return labels.get(COMPOSE_PROJECT);
    }

    /** The compose service, or null. */
    public String service() {
        return labels.get(COMPOSE_SERVICE);
    }

    /** True when the engine says it is running. */
    public boolean running() {
        return "running".equals(state);
    }

    /** The compose config files as written in the label (possibly relative), or an empty list. */
    public List<String> composeFiles() {
        String files = labels.get(COMPOSE_CONFIG_FILES);
        if (files == null || files.isBlank()) {
            return List.of();
        }
        return java.util.Arrays.stream(files.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
