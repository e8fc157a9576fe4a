package dev.docksmith.registry.v2;

import java.io.IOException;
import java.net.ProtocolException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A small blocking HTTP/1.1 client: the calling thread connects, writes and reads, and connections are
 * kept alive per host. Registry checks are many tiny requests from worker threads that are blocked on the
 * answer anyway, so handing each exchange to selector and executor threads (as the JDK client does) only
 * added CPU and threads.
 */
final class BlockingHttp implements Http {
    private static final int MAX_REDIRECTS = 5;
    private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);

    private final String userAgent;
    private final ConnectionPool pool;

    BlockingHttp(String userAgent, int maxIdlePerHost) {
        this.userAgent = userAgent;
        this.pool = new ConnectionPool(maxIdlePerHost);
    }

    @Override
    public WireResponse send(Request request) throws IOException {
        long timeoutMillis = Math.max(1, request.timeout().toMillis());
        // Each wait is bounded by the timeout; the whole exchange, redirects included, gets a second more
        // so that a body trickling in byte by byte still ends.
        long deadlineNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis + 1000);
        URI uri = request.uri();
        boolean authorized = true;
        for (int redirects = 0; ; redirects++) {
            WireResponse response = exchange(request, uri, authorized, (int) Math.min(timeoutMillis, Integer.MAX_VALUE), deadlineNanos);
            String location = response.headers().firstValue("Location").orElse(null);
            if (!REDIRECTS.contains(response.statusCode()) || location == null || !request.idempotent()) {
                return response;
            }
            if (redirects == MAX_REDIRECTS) {
                throw new ProtocolException("more than " + MAX_REDIRECTS + " redirects from " + request.uri());
            }
            URI next = uri.resolve(location.trim());
            if (!allowed(uri, next)) {
                return response; // not followed: the caller sees the 3xx and reports it
            }
            // Credentials are for the registry; blob stores behind redirects reject (or would leak) them.
            authorized = authorized && HttpConnection.key(next).equals(HttpConnection.key(uri));
            uri = next;
        }
    }

    /** Same scheme, or up from http to https; never down to plain text. */
    static boolean allowed(URI from, URI to) {
        String a = from.getScheme() == null ? "" : from.getScheme().toLowerCase();
        String b = to.getScheme() == null ? "" : to.getScheme().toLowerCase();
        return to.getHost() != null && (a.equals(b) ? a.equals("http") || a.equals("https") : a.equals("http") && b.equals("https"));
    }

    private WireResponse exchange(Request request, URI uri, boolean authorized, int timeoutMillis, long deadlineNanos)
            throws IOException {
        String head = head(request, uri, authorized);
        String key = HttpConnection.key(uri);
        HttpConnection c = pool.take(key);
        if (c != null) {
            try {
                return exchangeOn(c, request, uri, head, timeoutMillis, deadlineNanos);
            } catch (IOException e) {
                // A pooled connection the server closed while idle fails before any answer arrives; that is
                // not the registry failing, so an idempotent request gets one fresh connection at once.
                if (!request.idempotent() || c.received() > 0 || e instanceof SocketTimeoutException) {
                    throw e;
                }
            }
        }
        long left = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
        if (left <= 0) {
            throw new SocketTimeoutException("timed out");
        }
        c = HttpConnection.open(uri, (int) Math.min(timeoutMillis, left));
        return exchangeOn(c, request, uri, head, timeoutMillis, deadlineNanos);
    }

    /** One request and answer; the connection goes back to the pool only when it is clean to reuse. */
    private WireResponse exchangeOn(HttpConnection c, Request request, URI uri, String head, int timeoutMillis,
                                    long deadlineNanos) throws IOException {
        boolean keep = false;
        try {
            c.write(head, request.body(), timeoutMillis, deadlineNanos);
            ResponseReader.Answer answer = ResponseReader.read(c.input(), request.method());
            keep = answer.keepAlive();
            return new WireResponse(answer.status(), answer.headers(), answer.body(), request, uri, c.sslSession());
        } finally {
            if (keep) {
                pool.release(c);
            } else {
                c.close();
            }
        }
    }

    private String head(Request request, URI uri, boolean authorized) {
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        StringBuilder head = new StringBuilder(256).append(request.method()).append(' ').append(path);
        if (uri.getRawQuery() != null) {
            head.append('?').append(uri.getRawQuery());
        }
        head.append(" HTTP/1.1\r\nHost: ").append(uri.getHost());
        if (uri.getPort() >= 0 && uri.getPort() != (uri.getScheme().equalsIgnoreCase("https") ? 443 : 80)) {
            head.append(':').append(uri.getPort());
        }
        head.append("\r\nUser-Agent: ").append(userAgent).append("\r\n");
        List<String> headers = request.headers();
        for (int i = 0; i < headers.size(); i += 2) {
            String name = headers.get(i);
            if (!authorized && name.equalsIgnoreCase("Authorization")) {
                continue;
            }
            checkHeader(name);
            checkHeader(headers.get(i + 1));
            head.append(name).append(": ").append(headers.get(i + 1)).append("\r\n");
        }
        if (request.body() != null) {
            head.append("Content-Length: ").append(request.body().length).append("\r\n");
        } else if (request.method().equals("POST") || request.method().equals("PUT")) {
            head.append("Content-Length: 0\r\n");
        }
        return head.append("\r\n").toString();
    }

    /** No CR or LF in names or values: they would let a value (a token, a tag) smuggle in headers. */
    private static void checkHeader(String s) {
        if (s.indexOf('\r') >= 0 || s.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("line break in an HTTP header");
        }
    }

    /** Exposed for tests. */
    ConnectionPool pool() {
        return pool;
    }
}
