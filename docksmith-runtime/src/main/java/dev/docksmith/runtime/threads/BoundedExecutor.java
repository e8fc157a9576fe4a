package dev.docksmith.runtime.threads;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs at most {@code limit} of its tasks at once on another executor; the others wait their turn in
 * a queue, not on a thread. A registry call holds a thread for as long as it waits for the network,
 * so without this bound a check of many repositories starts a thread for every request in flight,
 * each costing resident memory (about 150 KiB of stack and thread state), while a registry answers
 * no faster for being asked everything at once.
 */
public final class BoundedExecutor implements Executor {
    private final Executor delegate;
    private final int limit;
    private final Queue<Runnable> waiting = new ConcurrentLinkedQueue<>();
    private final AtomicInteger running = new AtomicInteger();

    public BoundedExecutor(Executor delegate, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be 1 or more, not " + limit);
        }
        this.delegate = delegate;
        this.limit = limit;
    }

    @Override
    public void execute(Runnable task) {
        waiting.add(task);
        startWaiting();
    }

    /** Tasks started and not yet finished. */
    public int running() {
        return running.get();
    }

    /**
     * Hands waiting tasks to the delegate while fewer than {@code limit} run. A task is queued before
     * the count is read and the count is lowered before the queue is read, so a task queued just as
     * another finishes is always started by one of the two threads.
     */
    private void startWaiting() {
        while (!waiting.isEmpty()) {
            int now = running.get();
            if (now >= limit) {
                return;
            }
            if (!running.compareAndSet(now, now + 1)) {
                continue;
            }
            Runnable next = waiting.poll();
            if (next == null) {
                running.decrementAndGet(); // another thread took it; look again
                continue;
            }
            try {
                delegate.execute(() -> runThenStartNext(next));
            } catch (RuntimeException rejected) {
                // The delegate is shutting down: this task will not run; the caller hears why.
                running.decrementAndGet();
                throw rejected;
            }
        }
    }

    /**
     * Runs the task, then any that wait, on this same thread while it holds its place: handing them to
     * the delegate instead would start another thread while this one is still finishing.
     */
    private void runThenStartNext(Runnable first) {
        Runnable task = first;
        try {
            while (task != null) {
                task.run();
                task = waiting.poll();
            }
        } finally {
            running.decrementAndGet();
            startWaiting(); // one queued between the last poll and the decrement, or after a task threw
        }
    }
}
