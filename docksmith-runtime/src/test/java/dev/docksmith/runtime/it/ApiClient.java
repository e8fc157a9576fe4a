package dev.docksmith.runtime.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.docksmith.runtime.json.Json;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** A small HTTP client for driving a Docksmith API in tests. */
public final class ApiClient {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;

    public ApiClient(String base) {
        this.base = base;
    }

    /** A reply: status and parsed JSON body (or null when the body is not JSON). */
    public record Response(int status, JsonNode json, String text) {
        public JsonNode data() {
            return json.path("data");
        }

        public String errorCode() {
            return json.path("error").path("code").asText();
        }

        public String errorMessage() {
            return json.path("error").path("message").asText();
        }
    }

    public Response get(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
    }

    public Response delete(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).DELETE());
    }

    public Response post(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).POST(HttpRequest.BodyPublishers.noBody()));
    }

    public Response post(String path, String json) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    /** Opens a stream and returns its raw lines as they arrive. */
    public HttpResponse<java.util.stream.Stream<String>> stream(String method, String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path)).method(method, HttpRequest.BodyPublishers.noBody()).build();
        return http.send(request, HttpResponse.BodyHandlers.ofLines());
    }

    private Response send(HttpRequest.Builder builder) {
        try {
            HttpResponse<byte[]> r = http.send(builder.timeout(Duration.ofSeconds(120)).build(), HttpResponse.BodyHandlers.ofByteArray());
            String text = new String(r.body(), StandardCharsets.UTF_8);
            JsonNode json;
            try {
                json = text.isEmpty() ? null : Json.parse(r.body());
            } catch (IllegalArgumentException e) {
                json = null;
            }
            return new Response(r.statusCode(), json, text);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
