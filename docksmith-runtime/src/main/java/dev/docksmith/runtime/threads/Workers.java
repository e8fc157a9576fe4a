package dev.docksmith.runtime.threads;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Threads for work that mostly waits (HTTP requests, registry calls, scripts). On Java 21+ each task
 * gets a virtual thread; we compile for 17, so the factory method is looked up at run time. On 17,
 * a bounded pool of small-stack daemon threads that shrinks when idle.
 */
public final class Workers {
    private Workers() {
    }

    /** A virtual-thread-per-task executor when the JVM has one (Java 21+). */
    public static Optional<ExecutorService> virtualThreads() {
        try {
            MethodHandle factory = MethodHandles.publicLookup().findStatic(Executors.class,
                    "newVirtualThreadPerTaskExecutor", MethodType.methodType(ExecutorService.class));
            return Optional.of((ExecutorService) factory.invoke());
        } catch (Throwable e) {
            return Optional.empty(); // Java 17-20: no virtual threads
        }
    }

    /** Virtual threads on 21+, else at most {@code threads} pooled daemon threads named {@code prefix-N}. */
    public static ExecutorService pool(String prefix, int threads, int queue) {
        return virtualThreads().orElseGet(() -> {
            ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
                    new LinkedBlockingQueue<>(queue), daemon(prefix, 0), new ThreadPoolExecutor.AbortPolicy());
            pool.allowCoreThreadTimeOut(true);
            return pool;
        });
    }

    /** Daemon threads named {@code prefix-N}, with the given stack size (0: the JVM's default). */
    public static ThreadFactory daemon(String prefix, long stackSize) {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(null, task, prefix + "-" + count.incrementAndGet(), stackSize);
            thread.setDaemon(true);
            return thread;
        };
    }
}
