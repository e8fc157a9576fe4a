package dev.docksmith.api;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A container as discovery sees it: a snapshot, not a live view. Immutable.
 *
 * @param id      full container id; not null
 * @param name    name without the leading slash; not null
 * @param image   the image reference it was created from, as the engine reports it (may be a bare
 *                image id, {@code sha256:...}, when the tag has since moved); null when unknown
 * @param imageId the image id ({@code sha256:...}), or null when unknown
 * @param state   the engine's state: {@code running}, {@code exited}, {@code created}, ...; null when
 *                unknown
 * @param labels  every label; never null (an immutable copy, empty when null is given)
 * @param created when it was created, or null when unknown
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

    /**
     * Checks and copies the components.
     *
     * @param id      full container id
     * @param name    name without the leading slash
     * @param image   the image reference it was created from
     * @param imageId the image id
     * @param state   the engine's state
     * @param labels  every label; null means none
     * @param created when it was created
     * @throws NullPointerException when {@code id} or {@code name} is null
     */
    public ContainerInfo {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }

    /**
     * The compose project (stack) this container belongs to.
     *
     * @return the {@value #COMPOSE_PROJECT} label, or null
     */
    public String stack() {
        return labels.get(COMPOSE_PROJECT);
    }

    /**
     * The compose service this container runs.
     *
     * @return the {@value #COMPOSE_SERVICE} label, or null
     */
    public String service() {
        return labels.get(COMPOSE_SERVICE);
    }

    /**
     * Whether the engine said it was running when this snapshot was taken.
     *
     * @return true when {@link #state()} is {@code running}
     */
    public boolean running() {
        return "running".equals(state);
    }

    /**
     * The compose config files, as written in the {@value #COMPOSE_CONFIG_FILES} label.
     *
     * @return the files, possibly relative paths, and paths on the engine's host (not necessarily
     *         where Docksmith runs); an empty list when there is no such label, never null
     */
    public List<String> composeFiles() {
        String files = labels.get(COMPOSE_CONFIG_FILES);
        if (files == null || files.isBlank()) {
            return List.of();
        }
        return Arrays.stream(files.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
