package dev.docksmith.runtime.http;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The server's threads. On Java 21+ every request and every event stream gets a virtual thread; we
 * compile for 17, so the factory method is looked up at run time. On Java 17 requests share a
 * bounded pool, and event streams get platform threads of their own (capped by the number of
 * streams), so open streams can never take the threads normal requests need.
 */
final class ServerThreads {
    /** Requests waiting for a worker beyond this are refused (the JDK server closes the connection). */
    static final int REQUEST_QUEUE = 1000;
    /** Event-stream threads mostly wait; a small stack lets hundreds of them cost little. */
    private static final long STREAM_STACK_BYTES = 256 * 1024;

    private ServerThreads() {
    }

    /** A virtual-thread-per-task executor when the JVM has one (Java 21+). */
    static Optional<ExecutorService> virtualThreads() {
        try {
            MethodHandle factory = MethodHandles.publicLookup().findStatic(Executors.class,
                    "newVirtualThreadPerTaskExecutor", MethodType.methodType(ExecutorService.class));
            return Optional.of((ExecutorService) factory.invoke());
        } catch (NoSuchMethodException | IllegalAccessException e) {
            return Optional.empty();
        } catch (Throwable e) {
            return Optional.empty();
        }
    }

    /** Request workers: virtual threads on 21+, else {@code threads} pooled platform threads. */
    static ExecutorService requestWorkers(int threads) {
        return virtualThreads().orElseGet(() -> {
            ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
                    new LinkedBlockingQueue<>(REQUEST_QUEUE), daemon("docksmith-http-", 0),
                    new ThreadPoolExecutor.AbortPolicy());
            pool.allowCoreThreadTimeOut(true);
            return pool;
        });
    }

    /** Event-stream threads: virtual on 21+, else a platform thread per open stream (reused when idle). */
    static ExecutorService streamThreads() {
        return virtualThreads().orElseGet(() -> new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS,
                new SynchronousQueue<>(), daemon("docksmith-sse-", STREAM_STACK_BYTES)));
    }

    private static ThreadFactory daemon(String prefix, long stackSize) {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(null, task, prefix + count.incrementAndGet(), stackSize);
            thread.setDaemon(true);
            return thread;
        };
    }
}
