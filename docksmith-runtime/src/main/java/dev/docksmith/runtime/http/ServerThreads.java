package dev.docksmith.runtime.http;

import dev.docksmith.runtime.threads.Workers;

import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The server's threads. On Java 21+ every request and every event stream gets a virtual thread. On
 * Java 17 requests share a bounded pool, and event streams get platform threads of their own (capped
 * by the number of streams), so open streams can never take the threads normal requests need.
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
        return Workers.virtualThreads();
    }

    /** Request workers: virtual threads on 21+, else {@code threads} pooled platform threads. */
    static ExecutorService requestWorkers(int threads) {
        return Workers.pool("docksmith-http", threads, REQUEST_QUEUE);
    }

    /** Event-stream threads: virtual on 21+, else a platform thread per open stream (reused when idle). */
    static ExecutorService streamThreads() {
        return virtualThreads().orElseGet(() -> new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS,
                new SynchronousQueue<>(), Workers.daemon("docksmith-sse", STREAM_STACK_BYTES)));
    }
}
