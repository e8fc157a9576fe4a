package dev.docksmith.runtime.docker.transport;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Idle keep-alive connections to one engine. Only connections whose last response was read to its end
 * and whose server did not say {@code Connection: close} come back here. A connection is checked on
 * the way out (idle too long, peer gone, stray bytes), so a dead one is dropped instead of used.
 */
final class ConnectionPool {
    private final int maxIdle;
    private final Duration maxIdleTime;
    private final Deque<HttpConnection> idle = new ArrayDeque<>();
    private boolean closed;

    ConnectionPool(int maxIdle, Duration maxIdleTime) {
        this.maxIdle = maxIdle;
        this.maxIdleTime = maxIdleTime;
    }

    /** The most recently used healthy idle connection, or null when a new one is needed. */
    HttpConnection take() {
        while (true) {
            HttpConnection connection;
            synchronized (this) {
                connection = idle.pollFirst();
            }
            if (connection == null) {
                return null;
            }
            if (connection.reusable(maxIdleTime)) {
                return connection;
            }
            connection.close();
        }
    }

    /** Keeps a connection for reuse, or closes it when the pool is full or closed. */
    void release(HttpConnection connection) {
        connection.markIdle();
        HttpConnection evicted = null;
        synchronized (this) {
            if (!closed) {
                idle.addFirst(connection);
                connection = null;
                if (idle.size() > maxIdle) {
                    evicted = idle.pollLast();
                }
            }
        }
        if (connection != null) {
            connection.close();
        }
        if (evicted != null) {
            evicted.close();
        }
    }

    /** Number of idle connections, for tests and diagnostics. */
    synchronized int idleCount() {
        return idle.size();
    }

    /** Closes every idle connection; the pool stays usable. */
    void evictAll() {
        List<HttpConnection> victims;
        synchronized (this) {
            victims = new ArrayList<>(idle);
            idle.clear();
        }
        victims.forEach(HttpConnection::close);
    }

    /** Closes every idle connection and every connection released later. */
    void close() {
        synchronized (this) {
            closed = true;
        }
        evictAll();
    }
}
