package dev.docksmith.runtime.docker.transport;

import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One HTTP request to the engine, as an immutable value, so a transport can be swapped for a fake and a
 * request can be retried or logged without caring who built it.
 *
 * @param method    GET, POST, DELETE, ...
 * @param target    path and query, already encoded, e.g. {@code /v1.41/containers/json?all=1}
 * @param headers   extra headers (Host, Content-Length and Connection are the transport's business)
 * @param body      the body, or null for none
 * @param timeout   connect and read timeout for a normal call; for a streaming call only the connect
 *                  (and request write) timeout
 * @param streaming true for calls that stay open (events, pull progress, followed logs): they get a
 *                  connection of their own that never goes back to the pool, and no read timeout
 * @param idle      for a streaming call, the longest wait for its next bytes (the response head
 *                  included); zero waits as long as the stream stays open (events may be quiet for hours)
 */
public record DockerRequest(String method, String target, Map<String, String> headers, byte[] body,
                            Duration timeout, boolean streaming, Duration idle) {
    private static final Set<String> IDEMPOTENT = Set.of("GET", "HEAD", "PUT", "DELETE", "OPTIONS");

    public DockerRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(idle, "idle");
        if (!target.startsWith("/")) {
            throw new IllegalArgumentException("request target must start with '/': " + target);
        }
        if (target.chars().anyMatch(c -> c <= ' ' || c >= 0x7f)) {
            // Never let a caller's value smuggle a space or CR/LF into the request line.
            throw new IllegalArgumentException("request target must be encoded: " + target);
        }
        headers.forEach((name, value) -> {
            if ((name + value).chars().anyMatch(c -> c == '\r' || c == '\n') || name.isEmpty()) {
                throw new IllegalArgumentException("invalid header " + name);
            }
        });
        headers = Map.copyOf(headers);
        body = body == null ? null : body.clone();
    }

    /** A request with no extra headers and no body. */
    public static DockerRequest of(String method, String target, Duration timeout) {
        return new DockerRequest(method, target, Map.of(), null, timeout, false, Duration.ZERO);
    }

    /** The same request with a JSON body. */
    public DockerRequest withJson(byte[] json) {
        return withHeader("Content-Type", "application/json").withBody(json);
    }

    /** The same request with another body. */
    public DockerRequest withBody(byte[] newBody) {
        return new DockerRequest(method, target, headers, newBody, timeout, streaming, idle);
    }

    /** The same request with one more header. */
    public DockerRequest withHeader(String name, String value) {
        Map<String, String> copy = new LinkedHashMap<>(headers);
        copy.put(name, value);
        return new DockerRequest(method, target, copy, body, timeout, streaming, idle);
    }

    /** The same request to another target (the API version prefix is added this way). */
    public DockerRequest withTarget(String newTarget) {
        return new DockerRequest(method, newTarget, headers, body, timeout, streaming, idle);
    }

    /** The same request with another timeout. */
    public DockerRequest withTimeout(Duration newTimeout) {
        return new DockerRequest(method, target, headers, body, newTimeout, streaming, idle);
    }

    /** The same request as a streaming call (own connection, no read timeout). */
    public DockerRequest asStreaming() {
        return new DockerRequest(method, target, headers, body, timeout, true, idle);
    }

    /** The same request as a streaming call that is given up when no bytes arrive for {@code idleTimeout}. */
    public DockerRequest asStreaming(Duration idleTimeout) {
        return new DockerRequest(method, target, headers, body, timeout, true, idleTimeout);
    }

    /** Safe to send twice: the transport may retry these once on a stale pooled connection. */
    public boolean idempotent() {
        return IDEMPOTENT.contains(method);
    }

    @Override
    public byte[] body() {
        return body == null ? null : body.clone();
    }

    /** The body length without copying it. */
    int bodyLength() {
        return body == null ? 0 : body.length;
    }

    /** The body for writing, without copying it; never handed out of the package. */
    byte[] bodyUnsafe() {
        return body;
    }

    @Override
    public String toString() {
        return method + " " + target + (streaming ? " (streaming)" : "");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DockerRequest r && method.equals(r.method) && target.equals(r.target)
                && headers.equals(r.headers) && Arrays.equals(body, r.body)
                && timeout.equals(r.timeout) && streaming == r.streaming && idle.equals(r.idle);
    }

    @Override
    public int hashCode() {
        return Objects.hash(method, target, headers, Arrays.hashCode(body), timeout, streaming, idle);
    }
}
