package dev.docksmith.runtime.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.docksmith.runtime.json.Json;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What a handler answers, immutable. The body is rendered once, while the request's error mapping
 * is still in force, so a value that cannot be serialised becomes a 500 envelope, not a broken reply.
 */
public final class Reply {
    static final String JSON = "application/json; charset=utf-8";

    private enum Kind { DATA, RAW, TEXT, EMPTY, ERROR, STREAM }

    private final int status;
    private final Kind kind;
    private final Object value;
    private final String contentType;
    private final Map<String, List<String>> headers;
    private byte[] rendered;

    private Reply(int status, Kind kind, Object value, String contentType, Map<String, List<String>> headers) {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("not an HTTP status: " + status);
        }
        this.status = status;
        this.kind = kind;
        this.value = value;
        this.contentType = contentType;
        this.headers = headers;
    }

    /** {@code 200 {"success":true,"data":<data>}}. */
    public static Reply data(Object data) {
        return data(200, data);
    }

    /** {@code <status> {"success":true,"data":<data>}}. */
    public static Reply data(int status, Object data) {
        return new Reply(status, Kind.DATA, data, JSON, new TreeMap<>(String.CASE_INSENSITIVE_ORDER));
    }

    /**
     * A body serialised as is (the health route's {@code {"status":"ok","version":"..."}}). When it
     * serialises to a JSON object without a {@code success} field, one is added first.
     */
    public static Reply raw(int status, Object body) {
        return new Reply(status, Kind.RAW, body, JSON, new TreeMap<>(String.CASE_INSENSITIVE_ORDER));
    }

    /** A text body with the given content type. */
    public static Reply text(int status, String contentType, String text) {
        Objects.requireNonNull(contentType, "contentType");
        return new Reply(status, Kind.TEXT, text == null ? "" : text, contentType, new TreeMap<>(String.CASE_INSENSITIVE_ORDER));
    }

    /** A reply with no body (204, or headers only). */
    public static Reply empty(int status) {
        return new Reply(status, Kind.EMPTY, null, null, new TreeMap<>(String.CASE_INSENSITIVE_ORDER));
    }

    /** {@code {"success":false,"error":{"message":...,"code":...}}}: prefer throwing an exception. */
    public static Reply error(int status, String code, String message) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("message", message);
        error.put("code", code);
        return new Reply(status, Kind.ERROR, error, JSON, new TreeMap<>(String.CASE_INSENSITIVE_ORDER));
    }

    /**
     * A {@code text/event-stream} reply that keeps the exchange open and streams {@code source}
     * until it completes or the client goes away.
     */
    public static Reply sse(SseSource source) {
        Objects.requireNonNull(source, "source");
        return new Reply(200, Kind.STREAM, source, "text/event-stream; charset=utf-8", new TreeMap<>(String.CASE_INSENSITIVE_ORDER));
    }

    /** A copy with one more header value. */
    public Reply header(String name, String headerValue) {
        Map<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((k, v) -> copy.put(k, new ArrayList<>(v)));
        copy.computeIfAbsent(name, k -> new ArrayList<>()).add(headerValue);
        Reply reply = new Reply(status, kind, this.value, contentType, copy);
        reply.rendered = rendered;
        return reply;
    }

    public int status() {
        return status;
    }

    /** Extra headers (Content-Type and X-Request-Id are added when written). */
    public Map<String, List<String>> headers() {
        return Collections.unmodifiableMap(headers);
    }

    /** The first value of a header set on this reply. */
    public Optional<String> header(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /** Null for a reply without a body. */
    public String contentType() {
        return contentType;
    }

    public boolean isStream() {
        return kind == Kind.STREAM;
    }

    /** The stream of an {@link #sse} reply, null otherwise. */
    public SseSource source() {
        return kind == Kind.STREAM ? (SseSource) value : null;
    }

    /** The body bytes, rendered once; empty for streams and empty replies. */
    public byte[] body() {
        if (rendered == null) {
            rendered = render();
        }
        return rendered;
    }

    /** The body as text (UTF-8). */
    public String bodyText() {
        return new String(body(), StandardCharsets.UTF_8);
    }

    /** The body parsed as JSON (for tests and in-process callers). */
    public JsonNode json() {
        return Json.parse(body());
    }

    private byte[] render() {
        switch (kind) {
            case DATA: {
                Map<String, Object> envelope = new LinkedHashMap<>();
                envelope.put("success", status < 400);
                envelope.put("data", value);
                return Json.bytes(envelope);
            }
            case ERROR: {
                Map<String, Object> envelope = new LinkedHashMap<>();
                envelope.put("success", false);
                envelope.put("error", value);
                return Json.bytes(envelope);
            }
            case RAW: {
                JsonNode tree = Json.MAPPER.valueToTree(value);
                if (tree instanceof ObjectNode && !tree.has("success")) {
                    ObjectNode withSuccess = Json.object().put("success", status < 400);
                    withSuccess.setAll((ObjectNode) tree);
                    tree = withSuccess;
                }
                return Json.bytes(tree);
            }
            case TEXT:
                return ((String) value).getBytes(StandardCharsets.UTF_8);
            default:
                return new byte[0];
        }
    }

    @Override
    public String toString() {
        return "Reply[" + status + " " + kind + "]";
    }
}
