package dev.docksmith.runtime.stack;

import dev.docksmith.api.ContainerInfo;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which services a compose service depends on. Compose v2 writes it into the container's
 * {@code com.docker.compose.depends_on} label; compose v1 does not, so for those containers the
 * service's {@code depends_on} is read from the compose files the container was started with.
 */
final class DependsOn {
    private static final System.Logger LOG = System.getLogger(DependsOn.class.getName());

    private DependsOn() {
    }

    static Set<String> of(ContainerInfo container) {
        String label = container.labels().get(ContainerInfo.COMPOSE_DEPENDS_ON);
        if (label != null) {
            return fromLabel(label);
        }
        return fromComposeFiles(container);
    }

    /** {@code db:service_started:false,cache:service_healthy:true} gives {@code db, cache}. */
    static Set<String> fromLabel(String label) {
        Set<String> services = new LinkedHashSet<>();
        Arrays.stream(label.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .forEach(entry -> services.add(entry.split(":", 2)[0]));
        return services;
    }

    private static Set<String> fromComposeFiles(ContainerInfo container) {
        Set<String> services = new LinkedHashSet<>();
        String workingDir = container.labels().get(ContainerInfo.COMPOSE_WORKING_DIR);
        for (String file : container.composeFiles()) {
            Path path = workingDir == null ? Path.of(file) : Path.of(workingDir).resolve(file);
            try {
                Object doc = new Load(LoadSettings.builder().build()).loadFromString(Files.readString(path));
                services.addAll(fromDocument(doc, container.service()));
            } catch (IOException | RuntimeException e) {
                // Restart order is a courtesy; an unreadable file must not stop the restart itself.
                LOG.log(System.Logger.Level.WARNING, "cannot read depends_on of {0} from {1}: {2}",
                        container.name(), path, e.getMessage());
            }
        }
        return services;
    }

    static List<String> fromDocument(Object doc, String service) {
        if (!(doc instanceof Map<?, ?> root) || !(root.get("services") instanceof Map<?, ?> services)
                || !(services.get(service) instanceof Map<?, ?> definition)) {
            return List.of();
        }
        Object dependsOn = definition.get("depends_on");
        if (dependsOn instanceof List<?> list) {
            return list.stream().map(String::valueOf).toList();
        }
        if (dependsOn instanceof Map<?, ?> map) {
            return map.keySet().stream().map(String::valueOf).toList();
        }
        return List.of();
    }
}
