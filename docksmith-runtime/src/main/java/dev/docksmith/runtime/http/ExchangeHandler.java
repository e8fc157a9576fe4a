package dev.docksmith.runtime.http;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.docksmith.api.NotFoundException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Adapts one {@link HttpExchange} to the in-memory pipeline of {@link HttpApi}: strips the mount
 * prefix, builds the {@link Request} (with a size-limited body), writes the {@link Reply} or hands
 * an event stream over, and logs one line per request.
 */
final class ExchangeHandler implements HttpHandler {
    private static final System.Logger LOG = System.getLogger("dev.docksmith.runtime.http");
    private static final String BODY_READ = "dev.docksmith.bodyRead";

    private final HttpApi api;
    private final String prefix;

    ExchangeHandler(HttpApi api, String prefix) {
        this.api = api;
        this.prefix = prefix;
    }

    @Override
    public void handle(HttpExchange exchange) {
        long start = System.nanoTime();
        api.exchangeStarted();
        boolean handedOver = false;
        String requestId = RequestIds.reuseOrNext(exchange.getRequestHeaders().getFirst("X-Request-Id"));
        String method = exchange.getRequestMethod();
        String rawPath = exchange.getRequestURI().getRawPath();
        if (rawPath == null || rawPath.isEmpty()) {
            rawPath = "/";
        }
        String path = stripPrefix(rawPath);
        int status;
        try {
            Request request = new Request(method, path == null ? rawPath : path, exchange.getRequestURI().getRawQuery(),
                    copy(exchange.getRequestHeaders()), () -> readBody(exchange), requestId, Map.of());
            Reply reply;
            if (RequestAdmission.overCap()) {
                // Answered before the body is read or anything routed; the connection is closed after.
                reply = api.withCorsIfListed(Errors.toReply(new RateLimitedException("too many requests in progress: the server takes "
                        + api.limits().maxRequests() + " at once (DOCKSMITH_MAX_CONNECTIONS)", Duration.ofSeconds(1)), request), request)
                        .header("Connection", "close");
            } else if (api.isStopping()) {
                reply = Errors.toReply(new HttpException(500, "SERVICE_UNAVAILABLE", "the server is stopping"), request);
            } else if (path == null) {
                reply = Errors.toReply(new NotFoundException("no route for " + method + " " + rawPath), request);
            } else {
                reply = api.handle(request);
            }
            if (reply.isStream() && !"HEAD".equals(request.method())) {
                handedOver = true;
                status = api.streams().start(exchange, reply, request, this::write, api::exchangeDone);
            } else {
                if (reply.isStream()) {
                    reply.source().close();
                }
                status = write(exchange, reply, request);
            }
        } catch (RuntimeException | Error e) {
            LOG.log(Level.ERROR, "unexpected failure answering " + method + " " + rawPath + " [" + requestId + "]", e);
            exchange.close();
            status = 500;
        } finally {
            if (!handedOver) {
                api.exchangeDone();
            }
        }
        if (LOG.isLoggable(Level.INFO)) {
            long ms = (System.nanoTime() - start) / 1_000_000;
            LOG.log(Level.INFO, method + " " + rawPath + " " + status + " " + ms + "ms id=" + requestId);
        }
    }

    /** The path below the mount prefix, or null when the request is not under it ("/docksmithx"). */
    private String stripPrefix(String rawPath) {
        if (prefix.isEmpty()) {
            return rawPath;
        }
        if (!rawPath.startsWith(prefix)) {
            return null;
        }
        String rest = rawPath.substring(prefix.length());
        if (rest.isEmpty()) {
            return "/";
        }
        return rest.startsWith("/") ? rest : null;
    }

    /** Writes a complete reply and closes the exchange; returns the status. */
    int write(HttpExchange exchange, Reply reply, Request request) {
        Reply toSend = reply;
        byte[] body;
        try {
            body = toSend.body();
        } catch (RuntimeException e) {
            toSend = Errors.toReply(e, request);
            body = toSend.body();
        }
        boolean head = request != null && "HEAD".equals(request.method());
        try {
            Headers headers = exchange.getResponseHeaders();
            toSend.headers().forEach((name, values) -> values.forEach(v -> headers.add(name, v)));
            if (toSend.contentType() != null) {
                headers.set("Content-Type", toSend.contentType());
            }
            headers.set("X-Request-Id", request == null ? RequestIds.next() : request.requestId());
            headers.set("X-Content-Type-Options", "nosniff");
            headers.set("Cache-Control", "no-store");
            if (bodyLeftUnread(exchange)) {
                // The JDK server is told not to drain it (ServerLimits), so this connection ends with
                // the reply; saying so keeps a keep-alive client from sending its next request into it.
                headers.set("Connection", "close");
            }
            int status = toSend.status();
            boolean noBody = head || status == 204 || status == 304 || body.length == 0;
            exchange.sendResponseHeaders(status, noBody ? -1 : body.length);
            if (!noBody) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        } catch (IOException e) {
            LOG.log(Level.DEBUG, () -> "client went away before the reply was written: " + e);
        } finally {
            exchange.close();
        }
        return toSend.status();
    }

    /**
     * The request body, refused once it passes the limit while reading (a chunked body has no
     * declared length; a declared one was already checked by {@link HttpApi#handle}).
     */
    private byte[] readBody(HttpExchange exchange) throws IOException {
        long limit = api.bodyLimit();
        InputStream in = exchange.getRequestBody();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        long total = 0;
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
            total += n;
            if (total > limit) {
                throw HttpException.payloadTooLarge(limit);
            }
            body.write(buffer, 0, n);
        }
        exchange.setAttribute(BODY_READ, Boolean.TRUE);
        return body.toByteArray();
    }

    /**
     * Whether the request declared a body that was not read to its end (refused before, or too large).
     * A request without one has its empty body read here: the JDK server only learns that such a body
     * is at its end from a read, and as it drains nothing (ServerLimits) it would otherwise close
     * every kept-alive connection after its reply, without saying so.
     */
    private static boolean bodyLeftUnread(HttpExchange exchange) throws IOException {
        Headers request = exchange.getRequestHeaders();
        String length = request.getFirst("Content-Length");
        boolean declared = request.containsKey("Transfer-Encoding") || (length != null && !length.trim().equals("0"));
        if (!declared) {
            exchange.getRequestBody().read(); // -1 at once: there is nothing to wait for
            return false;
        }
        return exchange.getAttribute(BODY_READ) == null;
    }

    private static Map<String, List<String>> copy(Headers headers) {
        Map<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((name, values) -> copy.put(name, List.copyOf(values)));
        return copy;
    }
}
