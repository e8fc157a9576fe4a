package dev.docksmith.runtime.stack;

import dev.docksmith.api.BadRequestException;
import dev.docksmith.api.ContainerInfo;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** Orders a stack's containers so that every service comes after the services it depends on. */
public final class StackOrder {
    private StackOrder() {
    }

    /**
     * The containers, dependencies first; ties keep name order so the result is stable.
     *
     * @throws BadRequestException naming the services when the dependencies form a cycle
     */
    public static List<ContainerInfo> dependenciesFirst(List<ContainerInfo> containers) {
        Map<String, List<ContainerInfo>> byService = new TreeMap<>();
        for (ContainerInfo c : containers) {
            byService.computeIfAbsent(serviceOf(c), k -> new ArrayList<>()).add(c);
        }
        Map<String, Set<String>> deps = new LinkedHashMap<>();
        byService.forEach((service, list) -> {
            Set<String> d = new TreeSet<>();
            list.forEach(c -> d.addAll(DependsOn.of(c)));
            d.retainAll(byService.keySet()); // a dependency outside the given containers does not constrain order
            d.remove(service);
            deps.put(service, d);
        });
        return order(deps).stream()
                .flatMap(s -> byService.get(s).stream().sorted(Comparator.comparing(ContainerInfo::name)))
                .toList();
    }

    /** Kahn's algorithm over service names; cycles are reported, never broken silently. */
    static List<String> order(Map<String, Set<String>> deps) {
        List<String> ordered = new ArrayList<>();
        Map<String, Set<String>> remaining = new TreeMap<>();
        deps.forEach((k, v) -> remaining.put(k, new TreeSet<>(v)));
        while (!remaining.isEmpty()) {
            String ready = remaining.entrySet().stream().filter(e -> e.getValue().isEmpty())
                    .map(Map.Entry::getKey).findFirst().orElse(null);
            if (ready == null) {
                throw new BadRequestException("services depend on each other in a cycle: " + String.join(", ", remaining.keySet()));
            }
            remaining.remove(ready);
            remaining.values().forEach(v -> v.remove(ready));
            ordered.add(ready);
        }
        return ordered;
    }

    private static String serviceOf(ContainerInfo c) {
        return c.service() == null ? c.name() : c.service();
    }
}
