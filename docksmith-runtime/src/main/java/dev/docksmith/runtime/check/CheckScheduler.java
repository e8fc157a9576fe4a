package dev.docksmith.runtime.check;

import dev.docksmith.api.BusyException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * When checks run: right after start-up, then every {@code CHECK_INTERVAL} in the background (using cached registry answers),
 * on {@code POST /api/trigger-check} (joining a background check already running instead of starting
 * a second), and on {@code GET /api/check} (fresh; at most {@link #MAX_FRESH} at once, more get 429).
 */
public final class CheckScheduler implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(CheckScheduler.class.getName());
    static final int MAX_FRESH = 2;

    private final Checker checker;
    private final RegistryAnswers registry;
    private final ScheduledExecutorService scheduler;
    private final Executor executor;
    private final Clock clock;
    private final Duration interval;
    private final Semaphore fresh = new Semaphore(MAX_FRESH);
    private CompletableFuture<CheckReport> running;
    private ScheduledFuture<?> periodic;
    private volatile Instant lastBackgroundRun;
    private volatile Instant nextBackgroundRun;

    public CheckScheduler(Checker checker, RegistryAnswers registry, ScheduledExecutorService scheduler, Executor executor,
                          Clock clock, Duration interval) {
        this.checker = checker;
        this.registry = registry;
        this.scheduler = scheduler;
        this.executor = executor;
        this.clock = clock;
        this.interval = interval;
    }

    /**
     * Starts the periodic check. The first runs right away, in the background (start-up does not wait for
     * it): waiting one interval left {@code /api/status} at {@code total_checked: 0} and the dashboard empty
     * for the first five minutes after every start.
     */
    public synchronized void start() {
        if (interval.isZero() || periodic != null) {
            return;
        }
        nextBackgroundRun = clock.instant();
        periodic = scheduler.scheduleWithFixedDelay(this::periodicRun, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void periodicRun() {
        try {
            trigger().join();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "background check failed: {0}", Futures.unwrap(e).getMessage());
        } finally {
            nextBackgroundRun = clock.instant().plus(interval);
        }
    }

    /** A background check using cached answers; joins the one already running, if any. */
    public synchronized CompletableFuture<CheckReport> trigger() {
        if (running != null && !running.isDone()) {
            return running;
        }
        CompletableFuture<CheckReport> started = CompletableFuture.supplyAsync(() -> {
            CheckReport report = checker.checkAll(false);
            lastBackgroundRun = report.finishedAt();
            return report;
        }, executor);
        running = started;
        return started;
    }

    /** True while a background check runs. */
    public synchronized boolean backgroundRunning() {
        return running != null && !running.isDone();
    }

    /** A fresh full check on the caller's thread; 429 when {@link #MAX_FRESH} are already running. */
    public CheckReport checkNow() {
        if (!fresh.tryAcquire()) {
            throw new BusyException("too many checks at once (" + MAX_FRESH + " running); try again shortly",
                    Duration.ofSeconds(1));
        }
        try {
            return checker.checkAll(true);
        } finally {
            fresh.release();
        }
    }

    /** The contract's {@code /api/status} data. */
    public Map<String, Object> status() {
        CheckReport last = checker.last();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("total_checked", last == null ? 0 : last.results().size());
        m.put("updates_found", last == null ? 0 : last.updatesAvailable());
        m.put("last_cache_refresh", text(registry.lastCleared()));
        m.put("last_background_run", text(lastBackgroundRun));
        m.put("last_check", last == null ? null : last.finishedAt().toString());
        m.put("next_background_run", interval.isZero() ? null : text(nextBackgroundRun));
        m.put("check_interval", interval.isZero() ? "off" : interval.toString());
        m.put("check_running", backgroundRunning());
        return m;
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    @Override
    public synchronized void close() {
        if (periodic != null) {
            periodic.cancel(false);
        }
    }
}
