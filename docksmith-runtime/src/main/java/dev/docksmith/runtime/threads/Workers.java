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

    /**
     * Virtual threads on 21+, else at most {@code threads} pooled daemon threads named {@code prefix-N},
     * with up to {@code queue} tasks waiting once all are busy.
     */
    public static ExecutorService pool(String prefix, int threads, int queue) {
        return virtualThreads().orElseGet(() -> {
            EagerQueue tasks = new EagerQueue(queue);
            ThreadPoolExecutor pool = new ThreadPoolExecutor(0, threads, 30, TimeUnit.SECONDS, tasks,
                    daemon(prefix, 0), new ThreadPoolExecutor.AbortPolicy());
            tasks.pool = pool;
            return pool;
        });
    }

    /**
     * A plain ThreadPoolExecutor either starts a thread for every task until its core size (even while
     * others sit idle) or queues tasks instead of growing. This queue makes it reuse an idle thread
     * when there is one and grow only when every thread is busy, so a quiet server keeps few threads
     * (each costs resident memory) and a busy one still gets its full number.
     */
    private static final class EagerQueue extends LinkedBlockingQueue<Runnable> {
        private volatile ThreadPoolExecutor pool;

        EagerQueue(int capacity) {
            super(capacity);
        }

        @Override
        public boolean offer(Runnable task) {
            ThreadPoolExecutor p = pool;
            // Idle threads take queued tasks; once the queue holds as many tasks as there are idle
            // threads, one more task would wait for a busy thread, so the executor starts another.
            if (p != null && p.getPoolSize() < p.getMaximumPoolSize() && size() >= p.getPoolSize() - p.getActiveCount()) {
                return false;
            }
            return super.offer(task);
        }
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
