package dev.docksmith.runtime.http;

import java.lang.System.Logger.Level;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The executor the JDK server hands each request to (one task reads a request's head, then runs
 * the handler), capped: with {@code cap} requests in progress, up to {@link ServerLimits#OVERFLOW}
 * more still run but are told to answer 429 ({@link #overCap()}); beyond that the task is refused
 * and the JDK server closes the connection unread. A client that sends its head a byte at a time
 * therefore holds at most one of a bounded number of threads, and only until the request deadline.
 * Refusals are counted and logged at most once a minute.
 */
final class RequestAdmission implements Executor {
    private static final System.Logger LOG = System.getLogger("dev.docksmith.runtime.http");
    private static final long LOG_EVERY_NANOS = 60_000_000_000L;
    private static final ThreadLocal<Boolean> OVER_CAP = ThreadLocal.withInitial(() -> false);

    private final Executor workers;
    private final int cap;
    private final AtomicInteger inProgress = new AtomicInteger();
    private final AtomicLong refusedSinceLog = new AtomicLong();
    private final AtomicLong lastLog = new AtomicLong(System.nanoTime() - LOG_EVERY_NANOS);

    RequestAdmission(Executor workers, int cap) {
        this.workers = workers;
        this.cap = cap;
    }

    /** True on a request thread whose request came over the cap: answer it 429 without further work. */
    static boolean overCap() {
        return OVER_CAP.get();
    }

    int cap() {
        return cap;
    }

    /** Requests being read or answered now. */
    int inProgress() {
        return inProgress.get();
    }

    @Override
    public void execute(Runnable exchange) {
        int now = inProgress.incrementAndGet();
        if (now > cap + ServerLimits.OVERFLOW) {
            inProgress.decrementAndGet();
            refused(now - 1);
            throw new RejectedExecutionException("too many requests in progress (" + (now - 1) + ")");
        }
        boolean over = now > cap;
        if (over) {
            refused(now - 1);
        }
        try {
            workers.execute(() -> run(exchange, over));
        } catch (RejectedExecutionException e) {
            inProgress.decrementAndGet();
            refused(now - 1);
            throw e;
        }
    }

    private void run(Runnable exchange, boolean over) {
        OVER_CAP.set(over);
        try {
            exchange.run();
        } finally {
            OVER_CAP.set(false);
            inProgress.decrementAndGet();
        }
    }

    private void refused(int inProgressNow) {
        refusedSinceLog.incrementAndGet();
        long last = lastLog.get();
        long now = System.nanoTime();
        if (now - last >= LOG_EVERY_NANOS && lastLog.compareAndSet(last, now)) {
            long count = refusedSinceLog.getAndSet(0);
            LOG.log(Level.WARNING, "refused " + count + " request(s) since the last such line (one a minute at most): " + inProgressNow
                    + " requests in progress, the cap is " + cap + " (DOCKSMITH_MAX_CONNECTIONS); slow or stalled clients "
                    + "are closed after the request deadline (DOCKSMITH_REQUEST_TIMEOUT)");
        }
    }
}
