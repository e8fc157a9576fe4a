package dev.docksmith.runtime.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.docksmith.runtime.json.Json;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** A reply as a test sees it, whether it came from memory or over a socket. */
record Resp(int status, Map<String, List<String>> headers, String body) {
    Resp {
        Map<String, List<String>> ci = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        ci.putAll(headers);
        headers = ci;
    }

    static Resp of(Reply reply) {
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.putAll(reply.headers());
        if (reply.contentType() != null) {
            headers.put("Content-Type", List.of(reply.contentType()));
        }
        return new Resp(reply.status(), headers, new String(reply.body(), StandardCharsets.UTF_8));
    }

    Optional<String> header(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    JsonNode json() {
        return Json.parse(body.getBytes(StandardCharsets.UTF_8));
    }

    String errorCode() {
        return json().path("error").path("code").asText(null);
    }
}
