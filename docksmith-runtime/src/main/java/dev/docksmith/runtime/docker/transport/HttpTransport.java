package dev.docksmith.runtime.docker.transport;

import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Locale;

/**
 * HTTP/1.1 over a unix socket or TCP, with a keep-alive pool. Normal calls reuse idle connections;
 * streaming calls (events, pull progress) get a connection of their own without a read timeout (or
 * with the idle timeout they ask for), so a quiet stream never starves or poisons the pool.
 */
public final class HttpTransport implements DockerTransport {
    private static final int MAX_IDLE = 8;
    /** dockerd keeps idle connections open; the limit only bounds descriptors held for nothing. */
    private static final Duration MAX_IDLE_TIME = Duration.ofSeconds(60);

    private final Connector connector;
    private final ConnectionPool pool = new ConnectionPool(MAX_IDLE, MAX_IDLE_TIME);

    private HttpTransport(Connector connector) {
        this.connector = connector;
    }

    /** A transport to the host; for TLS the certificates are read now (bad files fail here). */
    public static HttpTransport create(DockerHost host) {
        return new HttpTransport(Connector.forHost(host));
    }

    @Override
    public DockerResponse execute(DockerRequest request) throws IOException {
        if (!request.streaming()) {
            HttpConnection pooled = pool.take();
            if (pooled != null) {
                try {
                    return exchange(pooled, request);
                } catch (RetryableException e) {
                    // The engine dropped the idle connection after our check; once more on a fresh one.
                }
            }
        }
        HttpConnection fresh = new HttpConnection(connector.connect(request.timeout()));
        try {
            return exchange(fresh, request);
        } catch (RetryableException e) {
            throw (IOException) e.getCause();
        }
    }

    @Override
    public String endpoint() {
        return connector.endpoint();
    }

    @Override
    public void evictIdle() {
        pool.evictAll();
    }

    @Override
    public void close() {
        pool.close();
    }

    /** Idle connections in the pool now (diagnostics and tests). */
    public int idleConnections() {
        return pool.idleCount();
    }

    /** A failure on a reused connection before any response arrived, for an idempotent request. */
    private static final class RetryableException extends IOException {
        RetryableException(IOException cause) {
            super(cause.getMessage(), cause);
        }
    }

    private DockerResponse exchange(HttpConnection connection, DockerRequest request) throws IOException {
        HttpConnection.Head head;
        try {
            connection.setTimeout(request.timeout());
            connection.write(request, connector.hostHeader());
            if (request.streaming()) {
                connection.setTimeout(request.idle()); // zero: no read timeout
            }
            head = connection.readHead();
            while (head.status() >= 100 && head.status() < 200) {
                head = connection.readHead(); // interim responses (100 Continue) carry no body
            }
        } catch (IOException | RuntimeException e) {
            connection.close();
            if (e instanceof IOException io && !(e instanceof SocketTimeoutException) && request.idempotent()) {
                // A timeout is a slow engine, not a stale connection: retrying would only double the wait.
                throw new RetryableException(io);
            }
            throw e;
        }
        boolean keepAlive = !request.streaming() && keepAlive(head);
        FramedBody.End end = new FramedBody.End() {
            @Override
            public void completed() {
                if (keepAlive) {
                    pool.release(connection);
                } else {
                    connection.close();
                }
            }

            @Override
            public void aborted() {
                connection.close();
            }
        };
        return new DockerResponse(head.status(), head.headers(), body(connection, request, head, end));
    }

    private static InputStream body(HttpConnection connection, DockerRequest request, HttpConnection.Head head,
                                    FramedBody.End end) throws IOException {
        int status = head.status();
        if (request.method().equals("HEAD") || status == 204 || status == 304) {
            return new FramedBody.FixedLength(connection.in(), 0, end);
        }
        String transferEncoding = head.header("Transfer-Encoding");
        if (transferEncoding != null && transferEncoding.toLowerCase(Locale.ROOT).contains("chunked")) {
            return new FramedBody.Chunked(connection, end);
        }
        String length = head.header("Content-Length");
        if (length != null) {
            try {
                long n = Long.parseLong(length.trim());
                if (n >= 0) {
                    return new FramedBody.FixedLength(connection.in(), n, end);
                }
            } catch (NumberFormatException ignored) {
                // handled below
            }
            end.aborted();
            throw new IOException("bad Content-Length: " + length);
        }
        // No framing: the body ends when the engine closes, so the connection cannot be reused.
        FramedBody.End closeAtEnd = new FramedBody.End() {
            @Override
            public void completed() {
                end.aborted();
            }

            @Override
            public void aborted() {
                end.aborted();
            }
        };
        return new FramedBody.UntilClose(connection.in(), closeAtEnd);
    }

    private static boolean keepAlive(HttpConnection.Head head) {
        String connection = head.header("Connection");
        String tokens = connection == null ? "" : connection.toLowerCase(Locale.ROOT);
        if (tokens.contains("close")) {
            return false;
        }
        return !head.version().equals("HTTP/1.0") || tokens.contains("keep-alive");
    }
}
