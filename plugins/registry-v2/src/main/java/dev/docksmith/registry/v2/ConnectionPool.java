package dev.docksmith.registry.v2;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Idle keep-alive connections per scheme://host:port. No reaper thread: expired connections are dropped
 * when the pool is next used. A connection is idle too long well before common server and load-balancer
 * idle limits (60 s and up), so what is taken is usually still open; when it is not, {@link BlockingHttp}
 * retries on a fresh one.
 */
final class ConnectionPool {
    private static final long MAX_IDLE_NANOS = TimeUnit.SECONDS.toNanos(50);
    private static final long SWEEP_EVERY_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final Map<String, Deque<HttpConnection>> idle = new ConcurrentHashMap<>();
    private final int maxIdlePerHost;
    private volatile long lastSweepNanos = System.nanoTime();

    ConnectionPool(int maxIdlePerHost) {
        this.maxIdlePerHost = maxIdlePerHost;
    }

    /** The most recently used idle connection for the key (the likeliest to be alive), or null. */
    HttpConnection take(String key) {
        Deque<HttpConnection> deque = idle.get(key);
        if (deque == null) {
            return null;
        }
        while (true) {
            HttpConnection c;
            synchronized (deque) {
                c = deque.pollFirst();
            }
            if (c == null) {
                return null;
            }
            if (c.idleNanos() < MAX_IDLE_NANOS) {
                return c;
            }
            c.close();
        }
    }

    /** Keeps a connection whose answer was read completely and that the server did not close. */
    void release(HttpConnection c) {
        c.markIdle();
        Deque<HttpConnection> deque = idle.computeIfAbsent(c.key(), k -> new ArrayDeque<>());
        HttpConnection evicted = null;
        synchronized (deque) {
            deque.addFirst(c);
            if (deque.size() > maxIdlePerHost) {
                evicted = deque.pollLast();
            }
        }
        if (evicted != null) {
            evicted.close();
        }
        sweepNowAndThen();
    }

    /** Closes connections idle too long, also those of hosts no longer asked for. */
    private void sweepNowAndThen() {
        long now = System.nanoTime();
        if (now - lastSweepNanos < SWEEP_EVERY_NANOS) {
            return;
        }
        lastSweepNanos = now;
        for (Deque<HttpConnection> deque : idle.values()) {
            synchronized (deque) {
                for (Iterator<HttpConnection> it = deque.iterator(); it.hasNext(); ) {
                    HttpConnection c = it.next();
                    if (c.idleNanos() >= MAX_IDLE_NANOS) {
                        it.remove();
                        c.close();
                    }
                }
            }
        }
    }

    /** Exposed for tests. */
    int idleCount(String key) {
        Deque<HttpConnection> deque = idle.get(key);
        if (deque == null) {
            return 0;
        }
        synchronized (deque) {
            return deque.size();
        }
    }
}
