package dev.docksmith.runtime.http;

import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Registration rules and the router alone (no security pipeline). */
class RouterTest {
    private static Reply get(Router router, String path) {
        return router.dispatch(Request.builder("GET", path).build());
    }

    @Test
    void routesRegisterByFeatureAndUnderAPrefix() {
        Router router = new Router()
                .register(r -> r.get("/api/health", q -> "up"))
                .register("/api/containers", r -> r.get("/{name}/logs", q -> q.param("name")).delete("{name}", q -> "gone"));
        assertEquals("up", get(router, "/api/health").json().path("data").asText());
        assertEquals("web", get(router, "/api/containers/web/logs").json().path("data").asText());
        assertEquals(Set.of("DELETE", "OPTIONS"), router.allowedMethods("/api/containers/web"));
        assertTrue(router.allowedMethods("/nope").isEmpty());
    }

    @Test
    void duplicateAndMalformedTemplatesAreRefused() {
        Router router = new Router().get("/api/containers/{name}", r -> "a");
        assertThrows(IllegalStateException.class, () -> router.get("/api/containers/{id}", r -> "b"));
        router.delete("/api/containers/{id}", r -> "other method is fine");
        assertThrows(IllegalArgumentException.class, () -> router.get("/api/{image...}/tags", r -> "x"));
        assertThrows(IllegalArgumentException.class, () -> router.get("/api/{a}/{a}", r -> "x"));
        assertThrows(IllegalArgumentException.class, () -> router.get("api/no-slash", r -> "x"));
        assertThrows(IllegalArgumentException.class, () -> router.get("/api/x{y}", r -> "x"));
    }

    @Test
    void parametersBeatAGreedyTail() {
        Router router = new Router()
                .get("/api/images/{id...}", r -> "greedy:" + r.param("id"))
                .get("/api/images/{id}", r -> "one:" + r.param("id"))
                .get("/api/images/{id}/history", r -> "history:" + r.param("id"));
        assertEquals("one:sha256:ab", get(router, "/api/images/sha256:ab").json().path("data").asText());
        assertEquals("history:nginx", get(router, "/api/images/nginx/history").json().path("data").asText());
        assertEquals("greedy:ghcr.io/a/b", get(router, "/api/images/ghcr.io/a/b").json().path("data").asText());
    }

    @Test
    void aMissingPathParameterIsAProgrammingError() {
        Router router = new Router().get("/api/x/{name}", r -> r.param("nope"));
        assertEquals(500, get(router, "/api/x/y").status());
    }

    @Test
    void malformedPercentEncodingIs400() {
        Router router = new Router().get("/api/x/{name}", r -> r.param("name"));
        assertEquals(400, get(router, "/api/x/%zz").status());
    }
}
