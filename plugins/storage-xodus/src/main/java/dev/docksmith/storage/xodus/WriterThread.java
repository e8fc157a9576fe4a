package dev.docksmith.storage.xodus;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Runs every write of one store on one thread that nobody interrupts.
 *
 * <p>Why: Xodus writes through a {@code FileChannel}. Unless the JVM runs with
 * {@code --add-exports java.base/sun.nio.ch=ALL-UNNAMED}, Xodus cannot make that channel uninterruptible, and a
 * write from an interrupted thread (a cancelled task, a request thread during shutdown) closes the channel and
 * leaves the environment "inoperative" until restart, losing every later save. Callers here wait for the writer
 * without reacting to interrupts (their interrupt flag is kept), so the channel never sees one. A single writer
 * also means Xodus never has to replay a write transaction that raced another.
 */
final class WriterThread {
    private final ExecutorService executor;

    WriterThread(String name) {
        executor = Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, name);
            thread.setDaemon(true); // a store someone forgot to close must not keep the JVM alive
            return thread;
        });
    }

    /**
     * Runs {@code work} on the writer thread and returns its result, waiting however often the caller is
     * interrupted. Exceptions from {@code work} are rethrown as they are.
     *
     * @throws IllegalStateException when the writer was shut down
     */
    <T> T call(Supplier<T> work) {
        Future<T> future;
        try {
            future = executor.submit(work::get);
        } catch (RejectedExecutionException e) {
            throw new IllegalStateException("the store is closed", e);
        }
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return future.get();
                } catch (InterruptedException e) {
                    interrupted = true; // finish the write anyway: it may already be on disk
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof RuntimeException runtime) {
                        throw runtime;
                    }
                    if (e.getCause() instanceof Error error) {
                        throw error;
                    }
                    throw new IllegalStateException(e.getCause());
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Runs {@code last} after every write already queued, then stops the thread. */
    void shutdown(Runnable last) {
        try {
            call(() -> {
                last.run();
                return null;
            });
        } finally {
            executor.shutdown();
        }
    }

    /** Waits briefly for the thread to end, so a closed store leaves nothing running. */
    void awaitEnd() {
        try {
            executor.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
