package dev.docksmith.runtime.http;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The routing contract over a real loopback socket with java.net.http, plus what only a socket shows. */
class SocketRoutingTest extends RoutingContract {
    private static HttpApi api;
    private static int port;
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() throws Exception {
        api = HttpApi.builder(new Router().register(new TestRoutes())).build();
        port = api.start(new InetSocketAddress("127.0.0.1", 0)).getPort();
    }

    @AfterAll
    static void stop() {
        api.stop(Duration.ofSeconds(1));
    }

    @Override
    Resp call(String method, String target, String body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + target))
                .timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        boolean typed = false;
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
            typed |= headers[i].equalsIgnoreCase("Content-Type");
        }
        if (body != null && !typed) {
            request.header("Content-Type", "application/json");
        }
        HttpResponse<String> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Resp(response.statusCode(), response.headers().map(), response.body());
    }

    @Test
    void everyReplyHasARequestIdAndJsonContentType() throws Exception {
        Resp resp = get("/api/containers/a/logs");
        String id = resp.header("X-Request-Id").orElseThrow();
        assertTrue(id.matches("[0-9a-f]{16}"), id);
        assertEquals("application/json; charset=utf-8", resp.header("Content-Type").orElseThrow());
        assertNotEquals(id, get("/api/containers/a/logs").header("X-Request-Id").orElseThrow());
        assertEquals("404", String.valueOf(get("/api/none").status()));
        assertTrue(get("/api/none").header("X-Request-Id").isPresent());
    }

    @Test
    void aSaneIncomingRequestIdIsReusedAndAnInsaneOneReplaced() throws Exception {
        assertEquals("abc-123", call("GET", "/api/health", null, "X-Request-Id", "abc-123").header("X-Request-Id").orElseThrow());
        String replaced = call("GET", "/api/health", null, "X-Request-Id", "a b<script>").header("X-Request-Id").orElseThrow();
        assertTrue(replaced.matches("[0-9a-f]{16}"), replaced);
    }

    @Test
    void headSendsNoBody() throws Exception {
        Resp resp = RawHttp.send(port, "HEAD /api/containers/x/logs HTTP/1.1\r\nHost: 127.0.0.1", null);
        assertEquals(200, resp.status());
        assertEquals("", resp.body());
    }
}
