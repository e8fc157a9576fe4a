package dev.docksmith.runtime.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.docksmith.runtime.routes.CheckRoutes;
import dev.docksmith.runtime.routes.ContainerRoutes;
import dev.docksmith.runtime.routes.HistoryRoutes;
import dev.docksmith.runtime.http.HttpApi;
import dev.docksmith.runtime.http.Reply;
import dev.docksmith.runtime.http.Request;
import dev.docksmith.runtime.http.Router;
import dev.docksmith.runtime.store.InMemoryStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Regression tests, in memory and without an engine, for the defects {@link FuzzIT} found (issue 6).
 * Each route counts its calls, so "refused" also means "the handler never ran".
 */
class FuzzRegressionTest {
    private final AtomicInteger bodyless = new AtomicInteger();
    private final AtomicInteger withBody = new AtomicInteger();
    private final HttpApi api = HttpApi.builder(new Router()
            // Like /api/prune/system or /api/containers/{name}/stop: a POST that never reads its body.
            .post("/api/act", r -> {
                bodyless.incrementAndGet();
                return Map.of("done", true);
            })
            // Like /api/restart: a POST that reads a JSON object.
            .post("/api/named", r -> {
                JsonNode body = r.json();
                withBody.incrementAndGet();
                return Map.of("container", body.path("container").asText());
            })
            .get("/api/int", r -> Map.of("n", r.queryInt("n", 10)))
            .get("/api/bool", r -> Map.of("b", r.queryBool("b", false))))
            .build();

    @AfterEach
    void stop() {
        api.stop(Duration.ZERO);
    }

    private Reply post(String path, String body) {
        return api.handle(Request.builder("POST", path).header("Host", "127.0.0.1")
                .body(body.getBytes(StandardCharsets.UTF_8)).header("Content-Type", "application/json").build());
    }

    private Reply get(String target) {
        return api.handle(Request.builder("GET", target).header("Host", "127.0.0.1").build());
    }

    /** FuzzIT: {"container":"web"}xyz restarted web, {"operation_id":"x"}\n{...} rolled back, ... */
    @ParameterizedTest
    @ValueSource(strings = {"{\"container\":\"web\"}xyz", "{\"container\":\"web\"}}", "{\"container\":\"web\"} {}",
            "{\"container\":\"web\"}\n{\"container\":\"web\"}", "{\"container\":\"web\"}\u0000", "{\"container\":\"web\"},"})
    void anythingAfterTheJsonObjectIsRefused(String body) {
        Reply reply = post("/api/named", body);
        assertEquals(400, reply.status(), reply.bodyText());
        assertEquals("BAD_REQUEST", reply.json().path("error").path("code").asText());
        assertEquals(0, withBody.get(), "the handler ran");
    }

    /** FuzzIT: POST /api/prune/system with {'x':1}, /api/restart/stack/{name} with {}\0, ... ran. */
    @ParameterizedTest
    @ValueSource(strings = {"{", "{'a':1}", "/* c */{}", "{\"n\":NaN}", "{\"n\":01}", "{}xyz", "{}\u0000", "[]]", "nope"})
    void aRouteThatIgnoresItsBodyStillRefusesABrokenOne(String body) {
        Reply reply = post("/api/act", body);
        assertEquals(400, reply.status(), reply.bodyText());
        assertEquals("BAD_REQUEST", reply.json().path("error").path("code").asText());
        assertEquals(0, bodyless.get(), "the handler ran");
    }

    @Test
    void tenThousandLevelsOfNestingAreRefusedOnEveryPost() {
        for (String body : new String[] {"[".repeat(10_000) + "]".repeat(10_000), "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000),
                "{\"container\":\"web\",\"x\":" + "[".repeat(10_000) + "]".repeat(10_000) + "}"}) {
            assertEquals(400, post("/api/act", body).status());
            assertEquals(400, post("/api/named", body).status());
        }
        assertEquals(0, bodyless.get() + withBody.get(), "a handler ran");
    }

    @Test
    void wellFormedBodiesStillWork() {
        assertEquals(200, post("/api/act", "{}").status());
        assertEquals(200, post("/api/act", " \r\n").status()); // blank: no body
        assertEquals(200, post("/api/act", "[1, {\"a\": null}]  \n").status()); // any JSON value, trailing whitespace
        assertEquals(200, post("/api/act", "{\"unknown\":\"fields are ignored\"}").status());
        Reply named = post("/api/named", "{\"container\":\"web\"}\n");
        assertEquals(200, named.status(), named.bodyText());
        assertEquals("web", named.json().path("data").path("container").asText());
        assertEquals(4, bodyless.get());
        assertEquals(1, withBody.get());
    }

    /** FuzzIT: POST /api/containers/{name}/stop?timeout=%00 stopped the container with the default timeout. */
    @Test
    void controlCharactersInQueryValuesAreNotBlanks() {
        assertEquals(400, get("/api/int?n=%00").status());
        assertEquals(400, get("/api/int?n=%015").status());
        assertEquals(400, get("/api/bool?b=%00").status()); // was true, as if "?b" alone
        assertEquals(400, get("/api/bool?b=%01").status());
        // Whitespace around a value is still tolerated, and an empty value still means the default / true.
        assertEquals(5, get("/api/int?n=%205%20").json().path("data").path("n").asInt());
        assertEquals(10, get("/api/int?n=").json().path("data").path("n").asInt());
        assertEquals(true, get("/api/bool?b").json().path("data").path("b").asBoolean());
        assertEquals(false, get("/api/bool?b=%09false%09").json().path("data").path("b").asBoolean(true));
    }
    private static Reply call(Router router, String method, String target) {
        HttpApi http = HttpApi.builder(router).build();
        try {
            return http.handle(Request.builder(method, target).header("Host", "127.0.0.1").build());
        } finally {
            http.stop(Duration.ZERO);
        }
    }

    /** FuzzIT: GET /api/history?type=x&limit=-1 was a 500 (the limit only reached Stream.limit). */
    @ParameterizedTest
    @ValueSource(strings = {"limit=-1&type=nothing", "limit=0&type=nothing", "limit=1001&type=nothing", "limit=-1",
            "limit=-1&type=operation", "limit=2147483647&type=x"})
    void historyRefusesALimitOutOfRangeWhateverTheType(String query) {
        Reply reply = call(new Router().register(new HistoryRoutes(new InMemoryStore())), "GET", "/api/history?" + query);
        assertEquals(400, reply.status(), reply.bodyText());
        assertEquals("BAD_REQUEST", reply.json().path("error").path("code").asText());
        assertEquals(200, call(new Router().register(new HistoryRoutes(new InMemoryStore())), "GET", "/api/history?type=x&limit=5").status());
    }

    /** FuzzIT: POST /api/containers/{name}/stop?timeout=-5 stopped the container (the engine got t=0). */
    @ParameterizedTest
    @ValueSource(strings = {"-1", "-5", "-2147483648"})
    void stopRefusesANegativeTimeoutBeforeTouchingTheEngine(String timeout) {
        // No engine at all: the refusal must come before the container is even looked up.
        Reply reply = call(new Router().register(new ContainerRoutes(null, null, null)), "POST",
                "/api/containers/web/stop?timeout=" + timeout);
        assertEquals(400, reply.status(), reply.bodyText());
        assertEquals("BAD_REQUEST", reply.json().path("error").path("code").asText());
    }

    /**
     * FuzzIT: GET /api/registry/tags/localhost:5000/a-a-a-... (thousands of components) overflowed the
     * stack in ImageRef's pattern (a 500), /api/registry/tags/%009 asked Docker Hub for "9", and a
     * repository name over Docker's 255 characters got the local registry's 500 passed on.
     */
    @Test
    void registryTagsRefusesOverlongReferencesAndControlCharactersBeforeParsing() {
        Router router = new Router().register(new CheckRoutes(null, null, null)); // refused before any registry is asked
        for (String image : new String[] {"localhost:5000/" + "a-".repeat(20_000) + "a", "%009", "%00nginx", "nginx%0A", "%20nginx",
                "ngi%09nx", "x".repeat(CheckRoutesLimit.MAX + 1), "localhost:5000/" + "x".repeat(241), "team/" + "x".repeat(250)}) {
            Reply reply = call(router, "GET", "/api/registry/tags/" + image);
            assertEquals(400, reply.status(), image + ": " + reply.bodyText());
            assertEquals("BAD_REQUEST", reply.json().path("error").path("code").asText());
        }
    }

    /** The limit as CheckRoutes has it (package-private there). */
    private static final class CheckRoutesLimit {
        static final int MAX = 512;
    }
}
