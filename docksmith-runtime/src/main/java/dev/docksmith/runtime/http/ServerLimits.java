package dev.docksmith.runtime.http;

import java.time.Duration;

/**
 * How much a client may hold of the server Docksmith starts itself, so slow or stalled clients
 * cannot take the threads or memory that every other request needs.
 *
 * @param requestTimeout  how long a request has to arrive, head and body together, from its first
 *                        byte (whole seconds); a connection still sending after that is closed
 * @param idleTimeout     how long a kept-alive connection, or one that has sent nothing yet, may
 *                        stay idle before it is closed (whole seconds)
 * @param maxRequests     requests being read or answered at once; up to {@link #OVERFLOW} more are
 *                        answered 429 at once, beyond that a connection is closed unread
 * @param maxConnections  open connections of any kind (idle ones too); the JDK server closes a new
 *                        one beyond this as soon as it is accepted
 */
public record ServerLimits(Duration requestTimeout, Duration idleTimeout, int maxRequests, int maxConnections) {
    /** Requests over {@code maxRequests} that still get a 429 reply instead of a closed connection. */
    public static final int OVERFLOW = 64;
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);
    public static final int DEFAULT_MAX_REQUESTS = 512;

    public ServerLimits {
        if (requestTimeout.toSeconds() < 1 || idleTimeout.toSeconds() < 1) {
            throw new IllegalArgumentException("request and idle timeouts must be at least 1 s (the JDK server counts whole seconds)");
        }
        if (maxRequests < 1 || maxConnections < maxRequests + OVERFLOW) {
            throw new IllegalArgumentException("maxRequests must be at least 1 and maxConnections at least maxRequests + " + OVERFLOW);
        }
    }

    /** The defaults: 10 s to send a request, 30 s idle, 512 requests at once, 8 times that in open connections. */
    public static ServerLimits defaults() {
        return of(DEFAULT_REQUEST_TIMEOUT, DEFAULT_MAX_REQUESTS);
    }

    /** These two, with the default idle timeout and room for 8 open connections per request in progress. */
    public static ServerLimits of(Duration requestTimeout, int maxRequests) {
        return new ServerLimits(requestTimeout, DEFAULT_IDLE_TIMEOUT, maxRequests, 8 * maxRequests + OVERFLOW);
    }

    /**
     * Hands the limits the JDK server enforces itself to it, as the system properties it reads once
     * per JVM when its first server starts; a property set on the command line wins. (So in a JVM
     * that started a JDK server before, such as a host application's, that server's values stay.)
     */
    void applyToJdkServer() {
        setIfAbsent("sun.net.httpserver.maxReqTime", Long.toString(requestTimeout.toSeconds()));
        setIfAbsent("sun.net.httpserver.idleInterval", Long.toString(idleTimeout.toSeconds()));
        setIfAbsent("jdk.httpserver.maxConnections", Integer.toString(maxConnections));
        // A body the handler did not read (a refused request) is not drained: the JDK server would
        // otherwise read up to 64 KiB of it, waiting on a client that may never send it; the
        // connection is closed instead.
        setIfAbsent("sun.net.httpserver.drainAmount", "0");
    }

    private static void setIfAbsent(String name, String value) {
        if (System.getProperty(name) == null) {
            System.setProperty(name, value);
        }
    }
}
