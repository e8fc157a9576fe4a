package dev.docksmith.runtime.update;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * One queue per stack: work for the same lane runs one at a time, in the order submitted, while
 * different lanes run side by side. Two updates of one compose project must not recreate its
 * services at the same time, and one slow stack must not hold up the others.
 */
final class StackLanes {
    private final Executor executor;
    private final CompletableFuture<?> ready;
    private final Map<String, CompletableFuture<Void>> tails = new HashMap<>();

    /** Nothing runs before {@code ready} completes (start-up is still repairing interrupted updates). */
    StackLanes(Executor executor, CompletableFuture<?> ready) {
        this.executor = executor;
        this.ready = ready;
    }

    /** Runs {@code work} after everything submitted to {@code lane} before it, whether that failed or not. */
    synchronized CompletableFuture<Void> submit(String lane, Runnable work) {
        CompletableFuture<?> previous = tails.containsKey(lane) ? tails.get(lane) : ready;
        CompletableFuture<Void> next = previous.handle((ignored, failure) -> null).thenRunAsync(work, executor);
        tails.put(lane, next);
        next.whenComplete((ignored, failure) -> forget(lane, next));
        return next;
    }

    /** True while work of this lane is queued or running. */
    synchronized boolean busy(String lane) {
        return tails.containsKey(lane);
    }

    private synchronized void forget(String lane, CompletableFuture<Void> finished) {
        tails.remove(lane, finished);
    }
}
