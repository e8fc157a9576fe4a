package dev.docksmith.runtime.stack;

import com.fasterxml.jackson.databind.JsonNode;
import dev.docksmith.api.ContainerInfo;
import dev.docksmith.api.DocksmithException;
import dev.docksmith.api.Event;
import dev.docksmith.api.NotFoundException;
import dev.docksmith.api.Operation;
import dev.docksmith.runtime.docker.DockerClient;
import dev.docksmith.runtime.docker.ContainerViews;
import dev.docksmith.runtime.operations.OperationLog;
import dev.docksmith.spi.EventSink;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Restarts a container or a whole stack as one recorded operation, then the containers that follow
 * it: those that ask to ({@code docksmith.restart-after}) and those sharing the network namespace of
 * a restarted one (a restart gives a container a new namespace). Each step is published as
 * {@code restart.progress}. An update's follow-up restarts go through {@link #restartFollowers}, so
 * a restart and an update agree on who follows whom.
 */
public final class Restarter {
    /** A restarted container, its operation, and the names of the containers restarted after it. */
    public record Restarted(ContainerInfo container, String operationId, List<String> dependentsRestarted) {
    }

    /** A restarted stack, its operation, its members in restart order and the dependents restarted after them. */
    public record StackRestarted(String stack, String operationId, List<String> containers, List<String> dependentsRestarted) {
    }

    private final DockerClient docker;
    private final OperationLog operations;
    private final EventSink events;
    private final Duration stopTimeout;

    public Restarter(DockerClient docker, OperationLog operations, EventSink events, Duration stopTimeout) {
        this.docker = docker;
        this.operations = operations;
        this.events = events;
        this.stopTimeout = stopTimeout;
    }

    /** Restarts one container (by name or id) and its dependents. */
    public Restarted restart(String nameOrId, RestartProgress progress) {
        ContainerInfo target = docker.container(nameOrId);
        var recorded = operations.run("restart", target.name(), target.stack(), op -> reportingFailure(op, progress, target.name(), () -> {
            JsonNode entries = docker.listContainers(true);
            List<ContainerInfo> all = containers(entries);
            // A restart gives a container a new network namespace: the ones sharing it restart after it.
            List<ContainerInfo> followers = new ArrayList<>(List.of(target));
            followers.addAll(RestartAfter.dependentsOf(target, all));
            List<ContainerInfo> dependents = new ArrayList<>(NamespaceDependents.withDependentsAfterOwners(followers, entries));
            dependents.removeIf(c -> c.id().equals(target.id())); // restarted first, below
            int steps = 1 + dependents.size();
            restartOne(op, target, 0, steps, progress);
            List<String> restartedDependents = restartDependents(op, dependents, 1, steps, progress);
            report(op, progress, target.name(), "complete", 100, "Restarted " + target.name());
            return restartedDependents;
        }));
        return new Restarted(target, recorded.operation().id(), recorded.result());
    }

    /** Restarts every container of a compose project, dependencies first, then their dependents. */
    public StackRestarted restartStack(String stack, RestartProgress progress) {
        JsonNode entries = docker.listContainers(true);
        List<ContainerInfo> all = containers(entries);
        List<ContainerInfo> members = all.stream().filter(c -> stack.equals(c.stack())).toList();
        if (members.isEmpty()) {
            throw new NotFoundException("Stack not found: " + stack);
        }
        // Members sharing another member's network go behind it, whatever depends_on says.
        List<ContainerInfo> ordered = NamespaceDependents.withDependentsAfterOwners(StackOrder.dependenciesFirst(members), entries)
                .stream().filter(c -> stack.equals(c.stack())).toList();
        var recorded = operations.run("restart_stack", null, stack, op -> reportingFailure(op, progress, null, () -> {
            List<ContainerInfo> followers = new ArrayList<>(ordered);
            for (ContainerInfo member : ordered) {
                RestartAfter.dependentsOf(member, all).stream()
                        .filter(d -> !stack.equals(d.stack()) && followers.stream().noneMatch(x -> x.id().equals(d.id())))
                        .forEach(followers::add);
            }
            List<ContainerInfo> dependents = NamespaceDependents.withDependentsAfterOwners(followers, entries).stream()
                    .filter(d -> !stack.equals(d.stack())).toList();
            int steps = ordered.size() + dependents.size();
            for (int i = 0; i < ordered.size(); i++) {
                restartOne(op, ordered.get(i), i, steps, progress);
            }
            List<String> restartedDependents = restartDependents(op, dependents, ordered.size(), steps, progress);
            report(op, progress, null, "complete", 100, "Restarted stack " + stack);
            return restartedDependents;
        }));
        return new StackRestarted(stack, recorded.operation().id(), ordered.stream().map(ContainerInfo::name).toList(),
                recorded.result());
    }

    /**
     * After {@code updated} was updated (its own namespace dependents are already recreated onto it):
     * restarts the containers that ask to follow it, then those sharing their network, owners first.
     * Each is announced to {@code steps} first; one that fails is reported there and the rest still
     * run, as the update itself is done. Returns the names restarted.
     */
    public List<String> restartFollowers(ContainerInfo updated, Consumer<String> steps) {
        JsonNode entries = docker.listContainers(true);
        List<ContainerInfo> restartAfter = RestartAfter.dependentsOf(updated, containers(entries));
        List<String> names = new ArrayList<>();
        if (restartAfter.isEmpty()) {
            return names;
        }
        for (ContainerInfo d : NamespaceDependents.withDependentsAfterOwners(restartAfter, entries)) {
            steps.accept("restarting " + d.name() + " ("
                    + (restartAfter.contains(d) ? RestartAfter.LABEL : "it shares the network of a restarted container") + ")");
            try {
                docker.restartContainer(d.id(), stopTimeout);
                names.add(d.name());
            } catch (DocksmithException e) {
                steps.accept("restarting " + d.name() + " failed: " + e.getMessage());
            }
        }
        return names;
    }

    /** Runs a restart and, if it fails, says so as a final {@code failed} step before the error propagates. */
    private <T> T reportingFailure(Operation op, RestartProgress progress, String container, Supplier<T> work) {
        try {
            return work.get();
        } catch (RuntimeException e) {
            report(op, progress, container, "failed", 100, e.getMessage());
            throw e;
        }
    }

    private void restartOne(Operation op, ContainerInfo c, int step, int steps, RestartProgress progress) {
        report(op, progress, c.name(), "restarting", step * 100 / steps, "Restarting " + c.name());
        docker.restartContainer(c.id(), stopTimeout);
        JsonNode state = docker.inspectContainer(c.id()).path("State");
        report(op, progress, c.name(), "restarted", (step + 1) * 100 / steps,
                c.name() + " is " + state.path("Status").asText("unknown"));
    }

    private List<String> restartDependents(Operation op, List<ContainerInfo> dependents, int firstStep, int steps,
                                           RestartProgress progress) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < dependents.size(); i++) {
            restartOne(op, dependents.get(i), firstStep + i, steps, progress);
            names.add(dependents.get(i).name());
        }
        return names;
    }

    private static List<ContainerInfo> containers(JsonNode entries) {
        return ContainerViews.fromList(entries);
    }

    private void report(Operation op, RestartProgress progress, String container, String stage, int percent, String message) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("operation_id", op.id());
        payload.put("container", container);
        if (op.stackName() != null) {
            payload.put("stack", op.stackName());
        }
        payload.put("stage", stage);
        payload.put("progress", percent);
        payload.put("message", message);
        events.publish(Event.of("restart.progress", payload));
        progress.report(payload);
    }
}
