package dev.docksmith.runtime.http;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The routing contract, run in memory ({@link InMemoryRoutingTest}) and over a real loopback socket
 * ({@link SocketRoutingTest}): the same assertions must hold both ways.
 */
abstract class RoutingContract {
    /** Sends one request; {@code body} null for none, sent as application/json otherwise. */
    abstract Resp call(String method, String target, String body, String... headers) throws Exception;

    Resp get(String target) throws Exception {
        return call("GET", target, null);
    }

    @Test
    void templateParameters() throws Exception {
        Resp resp = get("/api/containers/nginx/logs?tail=25");
        assertEquals(200, resp.status());
        assertEquals("{\"success\":true,\"data\":{\"name\":\"nginx\",\"tail\":25}}".length(), resp.body().length());
        assertEquals("nginx", resp.json().at("/data/name").asText());
        assertEquals(25, resp.json().at("/data/tail").asInt());
    }

    @Test
    void pathParametersAreUrlDecoded() throws Exception {
        assertEquals("my app+1", get("/api/containers/my%20app+1/logs").json().at("/data/name").asText());
    }

    @Test
    void greedyTailTakesTheRestOfThePath() throws Exception {
        assertEquals("ghcr.io/linuxserver/plex", get("/api/registry/tags/ghcr.io/linuxserver/plex").json().at("/data/image_ref").asText());
        assertEquals("nginx", get("/api/registry/tags/nginx").json().at("/data/image_ref").asText());
        assertEquals(404, get("/api/registry/tags/").status());
    }

    @Test
    void literalSegmentsWinOverParameters() throws Exception {
        assertEquals("literal", get("/api/scripts/assigned").json().path("data").asText());
        assertEquals("param:check.sh", get("/api/scripts/check.sh").json().path("data").asText());
    }

    @Test
    void trailingSlashIsTolerated() throws Exception {
        assertEquals(200, get("/api/containers/nginx/logs/").status());
    }

    @Test
    void unknownPathIs404InTheErrorEnvelope() throws Exception {
        Resp resp = get("/api/nothing/here");
        assertEquals(404, resp.status());
        assertErrorEnvelope(resp, "NOT_FOUND");
    }

    @Test
    void wrongMethodIs405WithAllow() throws Exception {
        Resp resp = call("PUT", "/api/containers/nginx", "{}");
        assertEquals(405, resp.status());
        assertErrorEnvelope(resp, "METHOD_NOT_ALLOWED");
        assertEquals("DELETE, OPTIONS", resp.header("Allow").orElseThrow());

        Resp logs = call("POST", "/api/containers/nginx/logs", null);
        assertEquals(405, logs.status());
        assertEquals("GET, HEAD, OPTIONS", logs.header("Allow").orElseThrow());
    }

    @Test
    void optionsAnswersAllow() throws Exception {
        Resp resp = call("OPTIONS", "/api/containers/nginx/logs", null);
        assertEquals(204, resp.status());
        assertEquals("GET, HEAD, OPTIONS", resp.header("Allow").orElseThrow());
        assertEquals(404, call("OPTIONS", "/api/nope", null).status());
    }

    @Test
    void headRunsTheGetRoute() throws Exception {
        assertEquals(200, call("HEAD", "/api/containers/nginx/logs", null).status());
    }

    @Test
    void dataEnvelope() throws Exception {
        JsonNode json = get("/api/containers/web/logs").json();
        assertTrue(json.path("success").asBoolean());
        assertEquals(2, json.size());
        assertEquals(100, json.at("/data/tail").asInt());
        assertEquals("{\"success\":true,\"data\":null}", get("/api/null").body());
    }

    @Test
    void rawBodyGetsSuccessAdded() throws Exception {
        Resp resp = get("/api/health");
        assertEquals(200, resp.status());
        JsonNode json = resp.json();
        assertTrue(json.path("success").asBoolean());
        assertEquals("ok", json.path("status").asText());
        assertEquals("1.2.3", json.path("version").asText());
        assertFalse(json.has("data"));
    }

    @Test
    void otherStatusesAndText() throws Exception {
        Resp created = get("/api/created");
        assertEquals(201, created.status());
        assertEquals("x", created.json().at("/data/id").asText());
        Resp text = get("/api/text");
        assertEquals("hello", text.body());
        assertTrue(text.header("Content-Type").orElseThrow().startsWith("text/plain"));
    }

    static Stream<String> failureKinds() {
        return TestRoutes.FAILURES.keySet().stream();
    }

    @ParameterizedTest
    @MethodSource("failureKinds")
    void everyExceptionMapsToItsStatusAndCode(String kind) throws Exception {
        Resp resp = get("/api/fail/" + kind);
        Object[] expected = TestRoutes.FAILURES.get(kind);
        assertEquals(expected[0], resp.status(), kind);
        assertErrorEnvelope(resp, (String) expected[1]);
        String message = resp.json().at("/error/message").asText();
        assertFalse(message.isBlank());
        assertFalse(resp.body().contains("secret internal detail"), "internal messages stay in the log");
        assertFalse(resp.body().contains("\tat ") || resp.body().contains("Exception"), "no stack trace: " + resp.body());
    }

    @Test
    void unreachableDockerNamesTheSocket() throws Exception {
        assertTrue(get("/api/fail/docker-unreachable").json().at("/error/message").asText().contains("/var/run/docker.sock"));
    }

    @Test
    void rateLimitedSaysWhenToRetry() throws Exception {
        assertEquals("30", get("/api/fail/rate-limited").header("Retry-After").orElseThrow());
    }

    @Test
    void internalErrorsCarryTheRequestId() throws Exception {
        Resp resp = call("GET", "/api/fail/runtime", null, "X-Request-Id", "trace-42");
        assertTrue(resp.json().at("/error/message").asText().contains("trace-42"), resp.body());
        Resp unserialisable = get("/api/unserialisable");
        assertEquals(500, unserialisable.status());
        assertErrorEnvelope(unserialisable, "INTERNAL_ERROR");
    }

    @Test
    void jsonBodies() throws Exception {
        assertEquals("{\"success\":true,\"data\":{\"container\":\"nginx\"}}", call("POST", "/api/echo", "{\"container\":\"nginx\"}").body());
        assertErrorEnvelope(call("POST", "/api/echo", "{\"container\":"), "BAD_REQUEST");
        assertErrorEnvelope(call("POST", "/api/echo", "[1,2]"), "BAD_REQUEST");
        assertErrorEnvelope(call("POST", "/api/echo", null), "BAD_REQUEST");
        assertEquals(400, call("POST", "/api/echo", "{\"container\":").status());
    }

    @Test
    void typedBodiesNameTheBadField() throws Exception {
        Resp ok = call("POST", "/api/labels", "{\"container\":\"nginx\",\"labels\":[\"a\"],\"count\":2,\"extra\":true}");
        assertEquals(200, ok.status(), ok.body());
        assertEquals("a", ok.json().at("/data/labels/0").asText());

        Resp bad = call("POST", "/api/labels", "{\"container\":\"nginx\",\"labels\":[\"a\"],\"count\":\"many\"}");
        assertEquals(400, bad.status());
        assertTrue(bad.json().at("/error/message").asText().contains("'count'"), bad.body());
        Resp badList = call("POST", "/api/labels", "{\"labels\":{\"a\":1}}");
        assertEquals(400, badList.status());
        assertTrue(badList.json().at("/error/message").asText().contains("'labels'"), badList.body());
    }

    @Test
    void badQueryValuesNameTheParameter() throws Exception {
        Resp resp = get("/api/containers/nginx/logs?tail=lots");
        assertEquals(400, resp.status());
        assertErrorEnvelope(resp, "BAD_REQUEST");
        assertTrue(resp.json().at("/error/message").asText().contains("'tail'"));
        Resp force = call("DELETE", "/api/containers/nginx?force=maybe", null);
        assertEquals(400, force.status());
        assertTrue(force.json().at("/error/message").asText().contains("'force'"));
        assertTrue(call("DELETE", "/api/containers/nginx?force", null).json().at("/data/force").asBoolean());
    }

    @Test
    void postBodiesMustBeJson() throws Exception {
        Resp resp = call("POST", "/api/echo", "container=nginx", "Content-Type", "application/x-www-form-urlencoded");
        assertEquals(415, resp.status());
        assertErrorEnvelope(resp, "UNSUPPORTED_MEDIA_TYPE");
        Resp charset = call("POST", "/api/echo", "{}", "Content-Type", "application/json; charset=utf-8");
        assertEquals(200, charset.status());
        assertEquals(200, call("POST", "/api/containers/web/stop", null).status(), "no body, no content type needed");
    }

    static void assertErrorEnvelope(Resp resp, String code) {
        JsonNode json = resp.json();
        assertEquals(Map.of("success", false), Map.of("success", json.path("success").asBoolean(true)), resp.body());
        assertEquals(2, json.size(), resp.body());
        assertEquals(2, json.path("error").size(), resp.body());
        assertEquals(code, json.at("/error/code").asText(), resp.body());
        assertTrue(json.at("/error/message").isTextual(), resp.body());
    }
}
