package dev.docksmith.runtime.check;

import dev.docksmith.api.CheckRecord;
import dev.docksmith.api.Event;
import dev.docksmith.api.ImageRef;
import dev.docksmith.runtime.docker.DockerClient;
import dev.docksmith.runtime.engine.EngineInventory;
import dev.docksmith.spi.EventSink;
import dev.docksmith.spi.Store;
import dev.docksmith.runtime.plugin.StrategyDirectory;
import dev.docksmith.runtime.plugin.PreUpdateChecks;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Checks every container (or one) and remembers the last results. Containers are checked at once,
 * not one after another, so a check costs about as many registry round trips as its slowest
 * container needs; {@code check.progress} events say how far it is, and history is written after the
 * answer, off the caller's path.
 */
public final class Checker implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Checker.class.getName());

    /**
     * One wake-up per check waiting on its containers' work, which {@link #close()} completes: once
     * the runtime stops, its pool drops queued work and leaves work stuck in a plugin, so a caller
     * waiting on that (a host's {@code check()}, an HTTP request) would otherwise wait forever.
     * (Not one shared future: every wait would leave a completion on it for the daemon's lifetime.)
     */
    private final Set<CompletableFuture<Void>> waiting = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private final DockerClient docker;
    private final EngineInventory inventory;
    private final RegistryAnswers registry;
    private final ContainerChecker containers;
    private final EventSink events;
    private final Store store;
    private final Executor executor;
    private final Clock clock;
    private volatile CheckReport last;
    /** What history last recorded per container, so a check only writes what changed. */
    private final Map<String, String> recorded = new ConcurrentHashMap<>();

    public Checker(DockerClient docker, EngineInventory inventory, RegistryAnswers registry, StrategyDirectory strategies, PreUpdateChecks preUpdateChecks,
                   EventSink events, Store store, Executor executor, Clock clock) {
        this.docker = docker;
        this.inventory = inventory;
        this.registry = registry;
        this.containers = new ContainerChecker(registry, strategies, preUpdateChecks, executor, clock);
        this.events = events;
        this.store = store;
        this.executor = executor;
        this.clock = clock;
    }

    /** Checks every container; {@code fresh} drops cached registry answers first. */
    public CheckReport checkAll(boolean fresh) {
        Instant started = clock.instant();
        if (fresh) {
            registry.clear();
        }
        List<Discovery.Found> found = Discovery.discover(inventory);
        int total = found.size();
        publish("started", 0, total, null);
        AtomicInteger done = new AtomicInteger();
        List<CompletableFuture<CheckResult>> pending = new ArrayList<>(total);
        for (Discovery.Found f : found) {
            pending.add(containers.check(f).whenComplete((result, failure) -> {
                int n = done.incrementAndGet();
                if (result != null) {
                    publish("checked", n, total, result);
                }
            }));
        }
        List<CheckResult> results = new ArrayList<>(total);
        for (CompletableFuture<CheckResult> p : pending) {
            results.add(await(p));
        }
        CheckReport report = new CheckReport(results, started, clock.instant(), fresh);
        last = report;
        publish("complete", total, total, null);
        recordHistory(report);
        LOG.log(System.Logger.Level.INFO, "checked {0} containers in {1} ms: {2} updates available{3}", total,
                Duration.between(report.startedAt(), report.finishedAt()).toMillis(), report.updatesAvailable(),
                fresh ? " (registry answers refreshed)" : "");
        return report;
    }

    /** Checks one container afresh (its repository's cached answers are dropped first). */
    public CheckResult checkOne(String nameOrId) {
        Discovery.Found found = Discovery.one(docker, nameOrId);
        try {
            String image = found.container().image();
            if (image != null && !image.startsWith("sha256:")) {
                registry.forget(ImageRef.parse(image));
            }
        } catch (RuntimeException ignored) {
            // an unparsable reference: the check itself will say so
        }
        CheckResult result = await(containers.check(found));
        replaceInLast(result);
        recordHistory(List.of(result));
        return result;
    }

    /** The last whole check, or null before the first. */
    public CheckReport last() {
        return last;
    }

    private void replaceInLast(CheckResult result) {
        CheckReport current = last;
        if (current == null) {
            return;
        }
        List<CheckResult> results = new ArrayList<>(current.results());
        results.replaceAll(r -> r.id().equals(result.id()) ? result : r);
        last = new CheckReport(results, current.startedAt(), current.finishedAt(), current.fresh());
    }

    private void publish(String stage, int checked, int total, CheckResult result) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("stage", stage);
        payload.put("checked", checked);
        payload.put("total", total);
        payload.put("progress", total == 0 ? 100 : checked * 100 / total);
        if (result != null) {
            payload.put("container", result.name());
            payload.put("status", result.status().name());
        }
        events.publish(Event.of("check.progress", payload));
    }

    private void recordHistory(CheckReport report) {
        recordHistory(report.results());
    }

    /**
     * Writes a history record for each container whose outcome changed since the last one recorded:
     * a check every 5 minutes of an unchanged host adds nothing, and the history reads as what happened.
     */
    private void recordHistory(List<CheckResult> results) {
        List<CheckRecord> records = new ArrayList<>();
        Map<String, String> outcomes = new LinkedHashMap<>();
        for (CheckResult r : results) {
            String outcome = r.image() + "|" + r.status() + "|" + r.currentVersion() + "|" + r.latestVersion() + "|" + r.error();
            if (!outcome.equals(recorded.put(r.id(), outcome))) {
                outcomes.put(r.id(), outcome);
                records.add(new CheckRecord(r.checkedAt(), r.name(), r.image(), r.currentVersion(), r.latestVersion(),
                        r.status().name(), r.error() != null ? r.error() : r.blockedReason()));
            }
        }
        if (records.isEmpty()) {
            return;
        }
        executor.execute(() -> {
            try {
                store.saveChecks(records);
            } catch (RuntimeException e) {
                // Not written (a read-only or failing store): the next check writes them, changed or not.
                outcomes.forEach(recorded::remove);
                LOG.log(System.Logger.Level.WARNING, "could not record check history: {0}", e.getMessage());
            }
        });
    }

    /** The result of one container's check, unless the runtime stops first. */
    private <T> T await(CompletableFuture<T> pending) {
        CompletableFuture<Void> wake = new CompletableFuture<>();
        waiting.add(wake);
        try {
            pending.whenComplete((result, failure) -> wake.complete(null));
            if (closed) { // closed before this wait was listed: close() did not see it
                wake.complete(null);
            }
            wake.join();
        } finally {
            waiting.remove(wake);
        }
        if (!pending.isDone()) {
            throw new IllegalStateException("Docksmith stopped before the check finished");
        }
        return Futures.join(pending);
    }

    /** Releases every check still waiting on unfinished work, with an error saying Docksmith stopped. */
    @Override
    public void close() {
        closed = true;
        waiting.forEach(wake -> wake.complete(null));
    }
}
