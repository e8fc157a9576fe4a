package dev.docksmith.runtime.http;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Token, Origin, Host and content-type rules over a real socket (raw where java.net.http fixes a header). */
class SecurityTest {
    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    private HttpApi api;
    private int port;

    private void start(SecurityPolicy policy) throws Exception {
        api = HttpApi.builder(new Router().register(new TestRoutes())).security(policy).build();
        port = api.start(new InetSocketAddress("127.0.0.1", 0)).getPort();
    }

    @AfterEach
    void stop() {
        if (api != null) {
            api.stop(Duration.ZERO);
        }
    }

    private Resp get(String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        HttpResponse<String> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Resp(response.statusCode(), response.headers().map(), response.body());
    }

    private Resp raw(String path, String... headerLines) throws Exception {
        return RawHttp.send(port, "GET " + path + " HTTP/1.1\r\n" + String.join("\r\n", headerLines), null);
    }

    @Test
    void tokenIsRequiredEverywhereButHealth() throws Exception {
        start(new SecurityPolicy("s3cret-token", "127.0.0.1", 0, List.of(), List.of()));

        Resp missing = get("/api/containers/x/logs");
        assertEquals(401, missing.status());
        RoutingContract.assertErrorEnvelope(missing, "UNAUTHORIZED");
        assertEquals("Bearer", missing.header("WWW-Authenticate").orElseThrow());

        assertEquals(401, get("/api/containers/x/logs", "Authorization", "Bearer wrong").status());
        assertEquals(401, get("/api/containers/x/logs", "Authorization", "Bearer s3cret-token-and-more").status());
        assertEquals(401, get("/api/containers/x/logs", "Authorization", "Basic s3cret-token").status());
        assertEquals(401, get("/api/nothing", "Authorization", "Bearer wrong").status(), "no route probing without a token");
        assertEquals(200, get("/api/containers/x/logs", "Authorization", "Bearer s3cret-token").status());
        assertEquals(200, get("/api/containers/x/logs", "Authorization", "bearer s3cret-token").status());

        Resp health = get("/api/health");
        assertEquals(200, health.status());
        assertEquals("ok", health.json().path("status").asText());
    }

    @Test
    void noTokenConfiguredMeansNoneNeeded() throws Exception {
        start(SecurityPolicy.loopback(0));
        assertEquals(200, get("/api/containers/x/logs").status());
    }

    @Test
    void foreignOriginIsForbidden() throws Exception {
        start(SecurityPolicy.loopback(0));
        Resp foreign = get("/api/containers/x/logs", "Origin", "http://evil.example.com");
        assertEquals(403, foreign.status());
        RoutingContract.assertErrorEnvelope(foreign, "FORBIDDEN");
        assertEquals(403, get("/api/containers/x/logs", "Origin", "null").status());
        assertEquals(403, get("/api/containers/x/logs", "Origin", "http://localhost:" + (port + 1)).status(), "another port is another origin");

        assertEquals(200, get("/api/containers/x/logs", "Origin", "http://localhost:" + port).status());
        assertEquals(200, get("/api/containers/x/logs", "Origin", "http://127.0.0.1:" + port).status());
    }

    @Test
    void foreignOriginIsForbiddenEvenForPostsWithoutABody() throws Exception {
        start(SecurityPolicy.loopback(0));
        HttpResponse<String> response = CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/containers/web/stop"))
                .header("Origin", "http://evil.example.com").POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(403, response.statusCode());
    }

    @Test
    void listedOriginsMayCallAndGetCorsHeaders() throws Exception {
        start(new SecurityPolicy(null, "127.0.0.1", 0, List.of("https://dash.example.com/"), List.of()));
        Resp resp = get("/api/containers/x/logs", "Origin", "https://dash.example.com");
        assertEquals(200, resp.status());
        assertEquals("https://dash.example.com", resp.header("Access-Control-Allow-Origin").orElseThrow());

        Resp preflight = RawHttp.send(port, "OPTIONS /api/containers/x HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Origin: https://dash.example.com\r\nAccess-Control-Request-Method: DELETE", null);
        assertEquals(204, preflight.status());
        assertEquals("DELETE, OPTIONS", preflight.header("Access-Control-Allow-Methods").orElseThrow());
        assertTrue(preflight.header("Access-Control-Allow-Headers").orElseThrow().contains("Authorization"));

        assertTrue(get("/api/containers/x/logs").header("Access-Control-Allow-Origin").isEmpty(), "same-origin calls need no CORS");
    }

    @Test
    void foreignHostIsForbidden() throws Exception {
        start(new SecurityPolicy(null, "127.0.0.1", 0, List.of(), List.of("docksmith.lan")));
        Resp rebinding = raw("/api/containers/x/logs", "Host: evil.example.com:" + port);
        assertEquals(403, rebinding.status());
        RoutingContract.assertErrorEnvelope(rebinding, "FORBIDDEN");
        assertTrue(rebinding.json().at("/error/message").asText().contains("evil.example.com"));
        assertEquals(403, raw("/api/health", "Host: localhost.evil.example.com").status());
        assertEquals(403, raw("/api/health", "Host: evil.example.com:notaport").status());

        assertEquals(200, raw("/api/containers/x/logs", "Host: localhost:" + port).status());
        assertEquals(200, raw("/api/containers/x/logs", "Host: 127.0.0.1").status());
        assertEquals(200, raw("/api/containers/x/logs", "Host: [::1]:" + port).status());
        assertEquals(200, raw("/api/containers/x/logs", "Host: DOCKSMITH.lan:" + port).status());
        assertEquals(200, raw("/api/containers/x/logs", "Host: 192.168.1.20:" + port).status(), "an IP literal cannot be rebound");
    }

    @Test
    void hostCheckRunsBeforeTheTokenCheck() throws Exception {
        start(new SecurityPolicy("t", "127.0.0.1", 0, List.of(), List.of()));
        assertEquals(403, raw("/api/health", "Host: evil.example.com").status());
        assertEquals(403, raw("/api/containers/x/logs", "Host: evil.example.com", "Authorization: Bearer t").status());
    }

    @Test
    void policyParsesHostHeadersAndNeverPrintsTheToken() {
        assertEquals("localhost", SecurityPolicy.hostName("LocalHost.:3000"));
        assertEquals("[::1]", SecurityPolicy.hostName("[::1]:3000"));
        assertNull(SecurityPolicy.hostName("[::1"));
        assertNull(SecurityPolicy.hostName("a:b:c"));
        SecurityPolicy policy = new SecurityPolicy("hunter2", "0.0.0.0", 3000, null, null);
        assertFalse(policy.toString().contains("hunter2"));
        assertTrue(policy.tokenRequired());
        assertTrue(policy.tokenMatches("Bearer hunter2"));
        assertFalse(policy.tokenMatches(null));
        assertFalse(policy.tokenMatches("Bearer "));
        assertTrue(new SecurityPolicy("  ", null, 3000, null, null).tokenMatches(null), "a blank token is no token");
        assertTrue(new SecurityPolicy(null, "fe80::1", 3000, null, null).hostAllowed("[fe80::1]:3000"));
        assertTrue(new SecurityPolicy(null, "box.local", 3000, null, null).originAllowed("http://box.local:3000", "box.local:3000"));
        assertTrue(SecurityPolicy.loopback(3000).originAllowed("https://127.0.0.1", "127.0.0.1"), "same authority as Host");
        assertFalse(SecurityPolicy.loopback(3000).originAllowed("https://evil.example.com", "evil.example.com"));
    }
}
