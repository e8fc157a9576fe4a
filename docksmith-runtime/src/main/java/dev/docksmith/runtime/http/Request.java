package dev.docksmith.runtime.http;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import dev.docksmith.api.BadRequestException;
import dev.docksmith.runtime.json.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One HTTP request as handlers see it. Built by the server from an exchange, or in memory with
 * {@link #builder(String, String)} for tests. Not shared between threads.
 */
public final class Request {
    /** Reads the body once, enforcing the size limit. */
    @FunctionalInterface
    interface BodySource {
        byte[] read() throws IOException;
    }

    /** Request bodies are one JSON value and nothing after it ({"a":1}xyz is not JSON). */
    private static final ObjectReader BODY_READER = Json.MAPPER.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final String method;
    private final String path;
    private final String rawQuery;
    private final Map<String, List<String>> headers;
    private final BodySource bodySource;
    private final String requestId;
    private final Map<String, String> params;
    private Map<String, List<String>> query;
    private byte[] body;
    private JsonNode value;
    private JsonNode json;

    Request(String method, String path, String rawQuery, Map<String, List<String>> headers,
            BodySource bodySource, String requestId, Map<String, String> params) {
        this.method = method.toUpperCase(Locale.ROOT);
        this.path = path;
        this.rawQuery = rawQuery;
        this.headers = headers;
        this.bodySource = bodySource;
        this.requestId = requestId;
        this.params = params;
    }

    /** A request to build in memory; {@code target} is a path with an optional {@code ?query}. */
    public static Builder builder(String method, String target) {
        return new Builder(method, target);
    }

    /** The same request with the router's path parameters. */
    Request withParams(Map<String, String> newParams) {
        Request copy = new Request(method, path, rawQuery, headers, bodySource, requestId, Map.copyOf(newParams));
        copy.body = body;
        copy.value = value;
        copy.json = json;
        copy.query = query;
        return copy;
    }

    /** Upper case: GET, POST, ... */
    public String method() {
        return method;
    }

    /** The path as routed (percent-encoded as received, without a mount prefix or query). */
    public String path() {
        return path;
    }

    public String requestId() {
        return requestId;
    }

    /** A path parameter of the matched template, URL-decoded. */
    public String param(String name) {
        String value = params.get(name);
        if (value == null) {
            throw new IllegalArgumentException("route has no path parameter '" + name + "' (has " + params.keySet() + ")");
        }
        return value;
    }

    public Map<String, String> params() {
        return params;
    }

    /** The first value of a query parameter, URL-decoded; a parameter given without a value is "". */
    public Optional<String> query(String name) {
        List<String> values = queries().get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /** Every value of a repeated query parameter. */
    public List<String> queryAll(String name) {
        return queries().getOrDefault(name, List.of());
    }

    /** An integer query parameter; 400 naming the parameter when it is not an integer. */
    public int queryInt(String name, int dflt) {
        // strip(), not trim(): trim() also drops control characters, so "?timeout=%00" meant the default.
        Optional<String> value = query(name).map(String::strip).filter(v -> !v.isEmpty());
        if (value.isEmpty()) {
            return dflt;
        }
        try {
            return Integer.parseInt(value.get());
        } catch (NumberFormatException e) {
            throw new BadRequestException("query parameter '" + name + "' must be an integer, was '" + value.get() + "'");
        }
    }

    /**
     * A boolean query parameter: true/false, 1/0, yes/no; present without a value ({@code ?force})
     * means true. 400 naming the parameter on anything else.
     */
    public boolean queryBool(String name, boolean dflt) {
        Optional<String> value = query(name);
        if (value.isEmpty()) {
            return dflt;
        }
        switch (value.get().strip().toLowerCase(Locale.ROOT)) { // strip(): "?force=%00" is not "?force"
            case "":
            case "true":
            case "1":
            case "yes":
                return true;
            case "false":
            case "0":
            case "no":
                return false;
            default:
                throw new BadRequestException("query parameter '" + name + "' must be true or false, was '" + value.get() + "'");
        }
    }

    /** The first value of a header (names are case-insensitive). */
    public Optional<String> header(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    public Map<String, List<String>> headers() {
        return Collections.unmodifiableMap(headers);
    }

    /** The body, read once (413 {@code PAYLOAD_TOO_LARGE} past the server's limit); empty when none. */
    public byte[] body() {
        if (body == null) {
            try {
                body = bodySource.read();
            } catch (IOException e) {
                throw new UncheckedIOException("reading the request body", e);
            }
        }
        return body;
    }

    /** The body as a JSON object; 400 when it is empty, malformed or not an object. */
    public JsonNode json() {
        if (json == null) {
            JsonNode parsed = jsonValue();
            if (parsed == null) {
                throw new BadRequestException("request body is required (a JSON object)");
            }
            if (!parsed.isObject()) {
                throw new BadRequestException("request body must be a JSON object");
            }
            json = parsed;
        }
        return json;
    }

    /**
     * The body as one JSON value of any kind, or null when it is empty or blank; 400 when it is not
     * well-formed JSON: malformed, truncated, with anything but whitespace after the value, or
     * nested deeper than the parser allows. The HTTP pipeline calls it for every POST, PUT and PATCH
     * with a body, so a route that ignores its body still refuses a broken one.
     */
    JsonNode jsonValue() {
        if (value == null) {
            byte[] bytes = body();
            if (isBlank(bytes)) {
                return null;
            }
            try {
                value = BODY_READER.readTree(bytes);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new BadRequestException("request body is not valid JSON: " + e.getOriginalMessage(), e);
            } catch (IOException e) {
                throw new BadRequestException("request body is not valid JSON: " + e.getMessage(), e);
            }
            if (value == null || value.isMissingNode()) {
                value = null;
                throw new BadRequestException("request body is not valid JSON");
            }
        }
        return value;
    }

    /** The body bound to {@code type} (a record or bean); 400 naming the field when a value has the wrong type. */
    public <T> T read(Class<T> type) {
        JsonNode tree = json();
        try {
            return Json.MAPPER.treeToValue(tree, type);
        } catch (ValueInstantiationException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new BadRequestException("invalid request body: " + cause.getMessage(), e);
        } catch (MismatchedInputException e) {
            throw new BadRequestException("invalid request body: field '" + fieldPath(e) + "' must be "
                    + describe(e.getTargetType()), e);
        } catch (JsonMappingException e) {
            throw new BadRequestException("invalid request body at field '" + fieldPath(e) + "': " + e.getOriginalMessage(), e);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new BadRequestException("invalid request body: " + e.getOriginalMessage(), e);
        }
    }

    private Map<String, List<String>> queries() {
        if (query == null) {
            query = parseQuery(rawQuery);
        }
        return query;
    }

    static Map<String, List<String>> parseQuery(String rawQuery) {
        Map<String, List<String>> result = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return result;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decodeQuery(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decodeQuery(pair.substring(eq + 1));
            result.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        return result;
    }

    private static String decodeQuery(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("malformed query string: " + e.getMessage());
        }
    }

    private static boolean isBlank(byte[] bytes) {
        for (byte b : bytes) {
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                return false;
            }
        }
        return true;
    }

    private static String fieldPath(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (path.length() > 0) {
                    path.append('.');
                }
                path.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.length() == 0 ? "(root)" : path.toString();
    }

    private static String describe(Class<?> type) {
        if (type == null) {
            return "of another type";
        }
        if (type.isEnum()) {
            return "one of " + Arrays.toString(type.getEnumConstants());
        }
        if (CharSequence.class.isAssignableFrom(type) || type == char.class || type == Character.class) {
            return "a string";
        }
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class
                || type == short.class || type == Short.class) {
            return "an integer";
        }
        if (Number.class.isAssignableFrom(type) || type == double.class || type == float.class) {
            return "a number";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "a boolean";
        }
        if (type.isArray() || Collection.class.isAssignableFrom(type)) {
            return "an array";
        }
        return "an object";
    }

    @Override
    public String toString() {
        return method + " " + path + (rawQuery == null ? "" : "?" + rawQuery) + " [" + requestId + "]";
    }

    /** Builds a request in memory (tests, in-process calls). */
    public static final class Builder {
        private final String method;
        private final String path;
        private final String rawQuery;
        private final Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        private byte[] body = new byte[0];
        private String requestId;

        private Builder(String method, String target) {
            this.method = Objects.requireNonNull(method, "method");
            int q = target.indexOf('?');
            this.path = q < 0 ? target : target.substring(0, q);
            this.rawQuery = q < 0 ? null : target.substring(q + 1);
        }

        public Builder header(String name, String value) {
            headers.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
            return this;
        }

        public Builder body(byte[] bytes) {
            this.body = bytes.clone();
            return this;
        }

        /** A JSON body with {@code Content-Type: application/json}. */
        public Builder json(String json) {
            this.body = json.getBytes(StandardCharsets.UTF_8);
            if (!headers.containsKey("Content-Type")) {
                header("Content-Type", "application/json");
            }
            return this;
        }

        /** Defaults to a sane incoming {@code X-Request-Id} header, else a new id. */
        public Builder requestId(String id) {
            this.requestId = id;
            return this;
        }

        public Request build() {
            byte[] bytes = body;
            String id = requestId != null ? requestId
                    : RequestIds.reuseOrNext(headers.containsKey("X-Request-Id") ? headers.get("X-Request-Id").get(0) : null);
            Map<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            headers.forEach((k, v) -> copy.put(k, List.copyOf(v)));
            if (bytes.length > 0 && !copy.containsKey("Content-Length")) {
                copy.put("Content-Length", List.of(Integer.toString(bytes.length)));
            }
            return new Request(method, path, rawQuery, copy, () -> bytes, id, Map.of());
        }
    }
}
