package dev.docksmith.runtime.update;

import com.fasterxml.jackson.databind.JsonNode;
import dev.docksmith.api.ContainerInfo;
import dev.docksmith.api.DocksmithException;
import dev.docksmith.api.NotFoundException;
import dev.docksmith.runtime.docker.DockerClient;
import dev.docksmith.runtime.docker.ContainerViews;
import dev.docksmith.runtime.stack.NamespaceDependents;
import dev.docksmith.spi.StageListener;
import dev.docksmith.spi.UpdateStrategy;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The update step that follows a container whose id changed: every running container that shares
 * its network namespace, or names it by id in {@code volumes_from} or by a legacy link
 * ({@link NamespaceDependents}), is recreated onto the new container by its own strategy (compose
 * runs {@code up --force-recreate} of its service, a standalone one is recreated pointing at the new
 * id), then must pass the same health gate as the updated container.
 */
public final class NamespaceReattach {
    private final DockerClient docker;
    private final Function<ContainerInfo, Optional<UpdateStrategy>> strategies;
    private final HealthGate healthGate;

    public NamespaceReattach(DockerClient docker, Function<ContainerInfo, Optional<UpdateStrategy>> strategies,
                             HealthGate healthGate) {
        this.docker = docker;
        this.strategies = strategies;
        this.healthGate = healthGate;
    }

    /**
     * What happened: the containers recreated and passed, and the first failure (null when none).
     * Containers after a failed one are not touched.
     */
    public record Outcome(List<String> reattached, String failed, String failure) {
        public Outcome {
            reattached = List.copyOf(reattached);
        }

        static Outcome none() {
            return new Outcome(List.of(), null, null);
        }

        public boolean ok() {
            return failure == null;
        }
    }

    /**
     * Recreates the containers in the namespace of {@code oldId} onto the container now named
     * {@code owner}, one by one, each through the health gate; {@code progress} hears each step.
     */
    public Outcome reattach(String oldId, String owner, Consumer<String> progress) {
        return reattach(oldId, owner, Set.of(), progress);
    }

    /**
     * As {@link #reattach(String, String, Consumer)}, also taking the containers named in
     * {@code evenIfStopped} when they are not running: after a rollback, the one that failed on the new
     * container (it stopped there, or could not be started again).
     */
    public Outcome reattach(String oldId, String owner, Set<String> evenIfStopped, Consumer<String> progress) {
        String newId;
        List<ContainerInfo> dependents;
        try {
            newId = docker.inspectContainer(owner).path("Id").asText();
            dependents = dependents(oldId, newId, docker.listContainers(true), evenIfStopped);
        } catch (DocksmithException e) {
            return new Outcome(List.of(), null, "finding the containers that depend on " + owner + " failed: "
                    + e.getMessage());
        }
        List<String> done = new ArrayList<>();
        for (ContainerInfo d : dependents) {
            String failure = reattachOne(d, oldId, newId, owner, progress);
            if (failure != null) {
                return new Outcome(done, d.name(), failure);
            }
            done.add(d.name());
        }
        return new Outcome(done, null, null);
    }

    /**
     * Those in the namespace of {@code oldId}, then those pinned to it otherwise (which takes an
     * inspect each); running ones, and those named in {@code evenIfStopped}.
     */
    private List<ContainerInfo> dependents(String oldId, String newId, JsonNode entries, Set<String> evenIfStopped) {
        List<ContainerInfo> found = new ArrayList<>(NamespaceDependents.of(oldId, entries, false));
        found.removeIf(c -> !c.running() && !evenIfStopped.contains(c.name()));
        String oldName = nameIfThere(oldId);
        for (JsonNode e : entries) {
            ContainerInfo c = ContainerViews.fromListEntry(e);
            if (c.id().equals(oldId) || c.id().equals(newId) || found.stream().anyMatch(f -> f.id().equals(c.id()))
                    || !c.running() && !evenIfStopped.contains(c.name())) {
                continue;
            }
            String id = c.id();
            try {
                JsonNode inspect = docker.inspectContainer(id);
                if (NamespaceDependents.pinned(inspect, oldId, oldName)) {
                    found.add(ContainerViews.fromInspect(inspect));
                }
            } catch (NotFoundException gone) {
                // removed since the list: nothing to follow
            }
        }
        return found;
    }

    private String nameIfThere(String id) {
        try {
            return docker.container(id).name();
        } catch (NotFoundException gone) {
            return null;
        }
    }

    private String reattachOne(ContainerInfo d, String oldId, String newId, String owner, Consumer<String> progress) {
        Optional<UpdateStrategy> strategy = strategies.apply(d);
        if (strategy.isEmpty()) {
            return d.name() + " depends on " + owner + " (network, volumes_from or link), but no installed update strategy"
                    + " can recreate it";
        }
        progress.accept("recreating " + d.name() + ", which uses " + owner + "'s network, volumes or link, onto its new container");
        StageListener stages = (stage, percent, message) -> progress.accept(message);
        String name;
        try {
            name = strategy.get().reattach(d, oldId, newId, stages);
        } catch (DocksmithException | UnsupportedOperationException e) {
            return "recreating " + d.name() + " onto the new " + owner + " failed: " + e.getMessage();
        }
        HealthGate.Verdict health;
        try {
            health = healthGate.await(name, progress);
        } catch (DocksmithException e) {
            health = new HealthGate.Verdict(false, name + " could not be inspected: " + e.getMessage());
        }
        if (!health.passed()) {
            return "health check of " + name + " (it depends on " + owner + ") failed: " + health.message();
        }
        progress.accept(health.message());
        return null;
    }
}
