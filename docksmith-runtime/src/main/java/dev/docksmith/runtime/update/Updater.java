package dev.docksmith.runtime.update;

import com.fasterxml.jackson.databind.JsonNode;
import dev.docksmith.api.Applied;
import dev.docksmith.api.Change;
import dev.docksmith.api.ContainerInfo;
import dev.docksmith.api.DocksmithException;
import dev.docksmith.api.ImageRef;
import dev.docksmith.api.Operation;
import dev.docksmith.api.OperationStatus;
import dev.docksmith.api.UpdateCandidate;
import dev.docksmith.api.UpdateException;
import dev.docksmith.api.Verdict;
import dev.docksmith.runtime.plugin.PreUpdateChecks;
import dev.docksmith.runtime.check.RepoDigests;
import dev.docksmith.runtime.docker.DockerClient;
import dev.docksmith.runtime.operations.OperationLog;
import dev.docksmith.runtime.stack.Restarter;
import dev.docksmith.spi.EventSink;
import dev.docksmith.spi.StageListener;
import dev.docksmith.spi.Store;
import dev.docksmith.spi.UpdateStrategy;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * Runs updates the way a careful operator would: queued per stack, pre-update check, plan stored
 * before anything changes, the strategy's edit/pull/recreate, the health gate, rollback when it
 * fails, then the containers that restart after this one. Every stage is an {@code update.progress}
 * event and is written to the operation, so a crash leaves a record start-up can repair.
 */
public final class Updater {
    private static final System.Logger LOG = System.getLogger(Updater.class.getName());

    private final DockerClient docker;
    private final Store store;
    private final OperationLog ids;
    private final PreUpdateChecks preUpdateChecks;
    private final HealthGate healthGate;
    private final UpdateEvents events;
    private final Clock clock;
    private final StackLanes lanes;
    /** The futures of submitted updates not yet finished, so that {@link #close()} can end their callers' waits. */
    private final Set<CompletableFuture<Operation>> unfinished = ConcurrentHashMap.newKeySet();
    private final Executor writer;
    private final Consumer<String> afterUpdate;
    private final NamespaceReattach namespaces;
    private final Restarter restarter;

    /**
     * @param ready       no update starts before it completes (start-up repairs interrupted ones first)
     * @param afterUpdate told the name of each container an update finished with (to re-check it)
     * @param namespaces  recreates the containers that share the network of an updated one
     * @param restarter   restarts the containers that follow an updated one ({@code docksmith.restart-after})
     */
    public Updater(DockerClient docker, Store store, OperationLog ids, PreUpdateChecks preUpdateChecks, HealthGate healthGate,
                   EventSink events, Executor executor, Clock clock, CompletableFuture<?> ready, Consumer<String> afterUpdate,
                   NamespaceReattach namespaces, Restarter restarter) {
        this.docker = docker;
        this.store = store;
        this.ids = ids;
        this.preUpdateChecks = preUpdateChecks;
        this.healthGate = healthGate;
        this.events = new UpdateEvents(events);
        this.clock = clock;
        this.lanes = new StackLanes(executor, ready);
        this.writer = executor;
        this.afterUpdate = afterUpdate;
        this.namespaces = namespaces;
        this.restarter = restarter;
    }

    /** A queued update and the future that completes with its final record. */
    public record Submitted(Operation operation, CompletableFuture<Operation> done) {
    }

    /** Records the request as a queued operation and queues it behind its stack's earlier updates. */
    public Submitted submit(UpdateRequest request) {
        Operation queued = Operation.queue(ids.newId(), request.type(), request.container().name(), request.container().stack(),
                        clock.instant())
                .withVersions(request.oldVersion(), request.newVersion())
                .withDetails(request.extra());
        store.save(queued);
        boolean waiting = lanes.busy(request.lane());
        LOG.log(System.Logger.Level.INFO, "{0} {1} {2} -> {3}: queued{4}", queued.id(), request.type(), request.container().name(),
                request.newImage(), waiting ? " behind another update of the same stack" : "");
        events.progress(queued, "queued", waiting ? "waiting for the update running in " + laneName(request) : "queued");
        CompletableFuture<Operation> done = new CompletableFuture<>();
        unfinished.add(done);
        done.whenComplete((op, failure) -> unfinished.remove(done));
        lanes.submit(request.lane(), () -> done.complete(run(queued, request)))
                .whenComplete((ignored, failure) -> {
                    if (failure != null) { // never ran: the pool refused it (stopping)
                        done.completeExceptionally(failure);
                    }
                });
        return new Submitted(queued, done);
    }

    /**
     * Ends the wait of every caller whose update has not finished, with an error: the runtime is
     * stopping, so queued updates will not run and one stuck in a plugin may not end. Their operation
     * records stay as they are; the next start resolves them.
     */
    public void close() {
        IllegalStateException stopped = new IllegalStateException(
                "Docksmith stopped before the update finished; the next start resolves its operation");
        unfinished.forEach(done -> done.completeExceptionally(stopped));
    }

    private Operation run(Operation queued, UpdateRequest request) {
        Run run = new Run(queued.running());
        try {
            return run.go(request);
        } catch (RuntimeException e) {
            // Unexpected (strategies throw UpdateException for what they expect), or the store failed.
            LOG.log(System.Logger.Level.ERROR, queued.id() + " failed unexpectedly", e);
            try {
                return run.end(OperationStatus.FAILED, e instanceof DocksmithException ? e.getMessage() : e.toString());
            } catch (RuntimeException storeAlsoFailed) {
                LOG.log(System.Logger.Level.ERROR, queued.id() + ": recording the failure failed too", storeAlsoFailed);
                return run.op;
            }
        }
    }

    /** One update's way through the stages; holds the operation record as it changes. */
    private final class Run {
        private Operation op;
        /** The plan ({@code backup}), {@code recreating} and the end are waited for; other stages are written behind the work. */
        private final OrderedWrites writes = new OrderedWrites(store, writer);

        Run(Operation running) {
            this.op = running;
        }

        Operation go(UpdateRequest request) {
            String name = request.container().name();
            saveLater("validating");
            events.progress(op, "validating", request.force() ? "pre-update check skipped (force)" : "running the pre-update check");
            ContainerInfo current = docker.container(name);
            if (!request.force()) {
                UpdateCandidate candidate = new UpdateCandidate(current, current.image(), request.oldVersion(), request.newVersion());
                Verdict verdict = request.script() != null
                        ? preUpdateChecks.run(request.script(), candidate)
                        : preUpdateChecks.run(current, candidate);
                if (!verdict.allowed()) {
                    return end(OperationStatus.FAILED, "blocked by pre-update check: " + verdict.reason());
                }
            }

            events.progress(op, "backup", "recording what " + name + " runs now, so the update can be undone");
            Change change = new Change(current, request.newImage(), request.labelsToSet(), request.labelsToRemove());
            Applied plan;
            try {
                plan = request.strategy().plan(change);
            } catch (DocksmithException e) {
                return end(OperationStatus.FAILED, e.getMessage());
            }
            Map<String, String> backup = new LinkedHashMap<>(StoredPlan.details(request.strategy().name(), plan));
            backup.put(StoredPlan.PREVIOUS_IMAGE_ID, String.valueOf(current.imageId()));
            String digest = previousDigest(current);
            if (digest != null) {
                backup.put(StoredPlan.PREVIOUS_DIGEST, digest);
            }
            op = op.withDetails(backup);
            saveNow("backup"); // durable before the strategy touches anything

            Applied applied;
            String[] lastStage = {"backup"};
            try {
                applied = request.strategy().apply(change, plan, strategyStages(lastStage));
            } catch (DocksmithException e) {
                // The strategy has put back what it changed, unless it says otherwise (its put-back failed
                // too, or auto-rollback is off); only a complete put-back once recreating began is a rollback.
                boolean putBack = !(e instanceof UpdateException u) || u.putBack();
                boolean rolledBack = putBack && lastStage[0].equals("recreating");
                if (!rolledBack) {
                    return end(OperationStatus.FAILED, e.getMessage());
                }
                // The old container was stopped or replaced on the way: its namespace dependents lost their network.
                return endRolledBack(e.getMessage(), rejoin(name, current.id(), Set.of()));
            }
            op = op.withDetails(StoredPlan.details(request.strategy().name(), applied));
            saveLater("health_check");
            events.progress(op, "health_check", "checking " + applied.containerName());
            HealthGate.Verdict health;
            try {
                health = healthGate.await(applied.containerName(), message -> events.progress(op, "health_check", message));
            } catch (DocksmithException e) {
                // Gone or unreadable right after the recreate is a failed gate, and so a reason to roll back.
                health = new HealthGate.Verdict(false, applied.containerName() + " could not be inspected: " + e.getMessage());
            }
            if (!health.passed()) {
                return failedGate(request, current, applied, health);
            }
            events.progress(op, "health_check", health.message());
            // Before commit: while the old container can still be brought back, a dependent that fails rolls it all back.
            NamespaceReattach.Outcome joined = reattach(current.id(), applied.containerName());
            if (!joined.ok()) {
                return failedDependent(request, current, applied, joined);
            }
            if (!joined.reattached().isEmpty()) {
                op = op.withDetail("dependents_reattached", String.join(",", joined.reattached()));
            }
            commit(request, applied);

            List<String> restarted = restartFollowers(current);
            op = op.withDetail("dependents_restarted", String.join(",", restarted));
            Operation done = op.complete(clock.instant());
            op = done;
            writes.now(done);
            events.progress(done, "complete", name + " now runs " + applied.newImage());
            events.updated(done, applied);
            LOG.log(System.Logger.Level.INFO, "{0} {1} {2}: complete, {3} -> {4}", done.id(), done.type(), name,
                    applied.previousImage(), applied.newImage());
            afterUpdate.accept(applied.containerName());
            return done;
        }

        private Operation failedGate(UpdateRequest request, ContainerInfo before, Applied applied, HealthGate.Verdict health) {
            String why = "health check failed: " + health.message();
            if (!UpdateStrategy.rollsBackOnFailure(before)) {
                commit(request, applied);
                return end(OperationStatus.FAILED, why + "; left on " + applied.newImage() + " because "
                        + UpdateStrategy.AUTO_ROLLBACK_LABEL + "=false");
            }
            events.progress(op, "health_check", why + "; rolling back to " + applied.previousImage());
            try {
                request.strategy().undo(applied, (stage, percent, message) -> events.progress(op, stage, message));
            } catch (DocksmithException e) {
                return end(OperationStatus.FAILED, why + "; rolling back ALSO failed: " + e.getMessage());
            }
            // The dependents still point at the container the update replaced; the restored one is yet another.
            return endRolledBack(why + "; rolled back to " + applied.previousImage(),
                    rejoin(applied.containerName(), before.id(), Set.of()));
        }

        /**
         * A container sharing the updated one's network failed to come back onto it: the update is undone
         * as for a failed health gate, and every dependent, moved or not, is recreated onto the restored container.
         */
        private Operation failedDependent(UpdateRequest request, ContainerInfo before, Applied applied,
                                          NamespaceReattach.Outcome joined) {
            String why = joined.failure();
            if (!UpdateStrategy.rollsBackOnFailure(before)) {
                commit(request, applied);
                return end(OperationStatus.FAILED, why + "; " + applied.containerName() + " left on " + applied.newImage()
                        + " because " + UpdateStrategy.AUTO_ROLLBACK_LABEL + "=false");
            }
            events.progress(op, "restarting_dependents", why + "; rolling back " + applied.containerName() + " to "
                    + applied.previousImage());
            // The one that failed may have stopped, or been left stopped by its own put-back: it comes back too.
            Set<String> stopped = joined.failed() == null ? Set.of() : Set.of(joined.failed());
            String newId;
            try {
                newId = docker.inspectContainer(applied.containerName()).path("Id").asText();
            } catch (DocksmithException e) {
                newId = null;
            }
            try {
                request.strategy().undo(applied, (stage, percent, message) -> events.progress(op, stage, message));
            } catch (DocksmithException e) {
                return end(OperationStatus.FAILED, why + "; rolling back ALSO failed: " + e.getMessage());
            }
            return endRolledBack(why + "; rolled back " + applied.containerName() + " to " + applied.previousImage(),
                    rejoin(applied.containerName(), newId, stopped), rejoin(applied.containerName(), before.id(), stopped));
        }

        private NamespaceReattach.Outcome reattach(String oldId, String owner) {
            return reattach(oldId, owner, Set.of());
        }

        private NamespaceReattach.Outcome reattach(String oldId, String owner, Set<String> evenIfStopped) {
            return namespaces.reattach(oldId, owner, evenIfStopped, new Consumer<>() {
                private boolean saved;

                @Override
                public void accept(String message) {
                    if (!saved) { // the stage is recorded only when there is a dependent
                        saved = true;
                        saveLater("restarting_dependents");
                    }
                    events.progress(op, "restarting_dependents", message);
                }
            });
        }

        /** After a rollback: the dependents still on {@code oldId} recreated onto the restored container {@code owner}. */
        private NamespaceReattach.Outcome rejoin(String owner, String oldId, Set<String> evenIfStopped) {
            return oldId == null ? NamespaceReattach.Outcome.none() : reattach(oldId, owner, evenIfStopped);
        }

        /** Rolled back, unless a dependent could not be brought back onto the restored container: then failed. */
        private Operation endRolledBack(String why, NamespaceReattach.Outcome... rejoined) {
            StringBuilder text = new StringBuilder(why);
            boolean all = true;
            for (NamespaceReattach.Outcome back : rejoined) {
                if (!back.reattached().isEmpty()) {
                    text.append("; ").append(String.join(", ", back.reattached())).append(" recreated onto the restored container");
                }
                if (!back.ok()) {
                    all = false;
                    text.append("; bringing back a container that shares its network ALSO failed: ").append(back.failure());
                }
            }
            return end(all ? OperationStatus.ROLLED_BACK : OperationStatus.FAILED, text.toString());
        }

        private void commit(UpdateRequest request, Applied applied) {
            try {
                request.strategy().commit(applied);
            } catch (DocksmithException e) {
                // The update stands; only a kept copy is left behind, which the log names.
                LOG.log(System.Logger.Level.WARNING, "{0}: {1}", op.id(), e.getMessage());
            }
        }

        private StageListener strategyStages(String[] lastStage) {
            return (stage, percent, message) -> {
                if (!stage.equals(lastStage[0])) {
                    lastStage[0] = stage;
                    if (stage.equals("recreating")) {
                        saveNow(stage); // repair forces a recreate when it finds this stage
                    } else {
                        saveLater(stage);
                    }
                }
                events.progress(op, stage, message);
            };
        }

        private List<String> restartFollowers(ContainerInfo updated) {
            boolean[] saved = {false};
            return restarter.restartFollowers(updated, message -> {
                if (!saved[0]) {
                    saved[0] = true;
                    saveLater("restarting_dependents");
                }
                events.progress(op, "restarting_dependents", message);
            });
        }

        Operation end(OperationStatus status, String why) {
            Operation ended = op.end(status, why, clock.instant());
            op = ended;
            writes.now(ended);
            events.progress(ended, status.wire(), why);
            LOG.log(System.Logger.Level.WARNING, "{0} {1} {2}: {3}: {4}", ended.id(), ended.type(), ended.containerName(),
                    status.wire(), why);
            if (ended.containerName() != null) {
                afterUpdate.accept(ended.containerName());
            }
            return ended;
        }

        private void saveLater(String stage) {
            op = op.withDetail(StoredPlan.STAGE, stage);
            writes.later(op);
        }

        private void saveNow(String stage) {
            op = op.withDetail(StoredPlan.STAGE, stage);
            writes.now(op);
        }
    }

    private String previousDigest(ContainerInfo current) {
        if (current.imageId() == null || current.image() == null || current.image().startsWith("sha256:")) {
            return null;
        }
        try {
            JsonNode image = docker.inspectImage(current.imageId());
            return RepoDigests.digestFor(RepoDigests.of(image), ImageRef.parse(current.image()));
        } catch (RuntimeException e) {
            return null; // a rollback then goes by tag
        }
    }

    private static String laneName(UpdateRequest request) {
        return request.container().stack() != null ? "stack " + request.container().stack() : request.container().name();
    }
}
