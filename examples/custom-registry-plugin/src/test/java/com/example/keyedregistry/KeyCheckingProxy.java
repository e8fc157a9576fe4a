package com.example.keyedregistry;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Stands for the registry the example plugin is written for: a v2 registry that answers only
 * requests carrying {@code X-Registry-Key: <key>}. It forwards those to a plain registry and answers
 * every other request 401, remembering which was which.
 */
final class KeyCheckingProxy implements AutoCloseable {
    /** Headers the JDK sets itself, or that describe the proxy's own connection rather than the answer. */
    private static final Set<String> NOT_COPIED = Set.of("content-length", "transfer-encoding", "connection", "keep-alive", "date");

    private final HttpServer server;
    private final URI upstream;
    private final String key;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final List<String> forwarded = new CopyOnWriteArrayList<>();
    private final List<String> refused = new CopyOnWriteArrayList<>();

    private KeyCheckingProxy(URI upstream, String key) throws IOException {
        this.upstream = upstream;
        this.key = key;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    static KeyCheckingProxy start(URI upstream, String key) throws IOException {
        return new KeyCheckingProxy(upstream, key);
    }

    /** {@code 127.0.0.1:<port>}, the registry part of image names behind the proxy. */
    String authority() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    /** Requests that carried the key, as {@code "GET /v2/..."}. */
    List<String> forwarded() {
        return List.copyOf(forwarded);
    }

    /** Requests without the right key. */
    List<String> refused() {
        return List.copyOf(refused);
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String request = method + " " + exchange.getRequestURI();
            if (!key.equals(exchange.getRequestHeaders().getFirst("X-Registry-Key"))) {
                refused.add(request);
                exchange.sendResponseHeaders(401, -1);
                return;
            }
            forwarded.add(request);
            HttpRequest.Builder out = HttpRequest.newBuilder(upstream.resolve(exchange.getRequestURI().toString()))
                    .method(method, HttpRequest.BodyPublishers.noBody());
            exchange.getRequestHeaders().getOrDefault("Accept", List.of()).forEach(a -> out.header("Accept", a));
            HttpResponse<byte[]> answer = http.send(out.build(), HttpResponse.BodyHandlers.ofByteArray());
            answer.headers().map().forEach((name, values) -> {
                if (!NOT_COPIED.contains(name.toLowerCase())) {
                    exchange.getResponseHeaders().put(name, values);
                }
            });
            byte[] body = answer.body();
            boolean noBody = method.equals("HEAD") || body.length == 0;
            exchange.sendResponseHeaders(answer.statusCode(), noBody ? -1 : body.length);
            if (!noBody) {
                exchange.getResponseBody().write(body);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
