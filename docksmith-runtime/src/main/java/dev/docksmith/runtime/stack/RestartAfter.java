package dev.docksmith.runtime.stack;

import dev.docksmith.api.ContainerInfo;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads {@code docksmith.restart-after}: a container carrying {@code docksmith.restart-after=db,cache}
 * is restarted after {@code db} or {@code cache} is restarted or updated. Names match a container
 * name or a compose service name.
 */
public final class RestartAfter {
    public static final String LABEL = "docksmith.restart-after";

    private RestartAfter() {
    }

    /**
     * Every container to restart after {@code restarted}, in the order to restart them: direct
     * dependents first, then theirs. Each appears once, so a cycle ends instead of looping. Seen is
     * kept by name, not id: after an update {@code all} holds the recreated container under a new id,
     * and a cycle back to it must not restart it again.
     */
    public static List<ContainerInfo> dependentsOf(ContainerInfo restarted, List<ContainerInfo> all) {
        List<ContainerInfo> result = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        seen.add(restarted.name());
        List<ContainerInfo> frontier = List.of(restarted);
        while (!frontier.isEmpty()) {
            List<ContainerInfo> next = new ArrayList<>();
            for (ContainerInfo done : frontier) {
                for (ContainerInfo candidate : all) {
                    if (!seen.contains(candidate.name()) && names(candidate).stream().anyMatch(n -> matches(n, done))) {
                        seen.add(candidate.name());
                        result.add(candidate);
                        next.add(candidate);
                    }
                }
            }
            frontier = next;
        }
        return result;
    }

    static List<String> names(ContainerInfo c) {
        String label = c.labels().get(LABEL);
        if (label == null || label.isBlank()) {
            return List.of();
        }
        return Arrays.stream(label.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    private static boolean matches(String name, ContainerInfo c) {
        return name.equals(c.name()) || name.equals(c.service());
    }
}
