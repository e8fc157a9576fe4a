package dev.docksmith.strategy.compose;

import dev.docksmith.api.ContainerInfo;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/** Builds containers with the labels compose v1 and v2 write. */
final class Containers {
    private Containers() {
    }

    static ContainerInfo compose(String project, String service, String workingDir, String configFiles) {
        Map<String, String> labels = new HashMap<>();
        labels.put(ContainerInfo.COMPOSE_PROJECT, project);
        labels.put(ContainerInfo.COMPOSE_SERVICE, service);
        if (workingDir != null) {
            labels.put(ContainerInfo.COMPOSE_WORKING_DIR, workingDir);
        }
        if (configFiles != null) {
            labels.put(ContainerInfo.COMPOSE_CONFIG_FILES, configFiles);
        }
        return withLabels(project + "-" + service + "-1", labels);
    }

    static ContainerInfo withLabels(String name, Map<String, String> labels) {
        return new ContainerInfo("id-" + name, name, "img", "sha256:00", "running", labels, Instant.EPOCH);
    }
}
