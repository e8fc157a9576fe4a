package dev.docksmith.runtime.http;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The routing mounted under a prefix on a host application's own HttpServer. */
class MountTest {
    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    private HttpServer host;
    private ExecutorService hostThreads;
    private HttpApi api;

    @BeforeEach
    void start() throws IOException {
        host = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        hostThreads = Executors.newFixedThreadPool(4);
        host.setExecutor(hostThreads);
        host.createContext("/app", exchange -> {
            byte[] body = "host app".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        host.start();
        api = new HttpApi(new Router().register(new TestRoutes()), SecurityPolicy.loopback(host.getAddress().getPort()));
        api.mount(host, "/docksmith/");
    }

    @AfterEach
    void stop() {
        api.close();
        host.stop(0);
        hostThreads.shutdownNow();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + host.getAddress().getPort() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void routesAnswerUnderThePrefix() throws Exception {
        HttpResponse<String> health = get("/docksmith/api/health");
        assertEquals(200, health.statusCode());
        assertTrue(health.body().contains("\"status\":\"ok\""));
        assertEquals("ghcr.io/linuxserver/plex", new Resp(200, health.headers().map(),
                get("/docksmith/api/registry/tags/ghcr.io/linuxserver/plex").body()).json().at("/data/image_ref").asText());
        assertTrue(get("/docksmith/api/health").headers().firstValue("X-Request-Id").isPresent());
        assertEquals(-1, api.port(), "no server of its own");
    }

    @Test
    void hostRoutesStillWork() throws Exception {
        assertEquals("host app", get("/app").body());
    }

    @Test
    void pathsOutsideThePrefixAreNotRouted() throws Exception {
        HttpResponse<String> sibling = get("/docksmithx/api/health");
        assertEquals(404, sibling.statusCode());
        assertTrue(sibling.body().contains("NOT_FOUND"));
        assertEquals(404, get("/docksmith/docksmith/api/health").statusCode());
    }

    @Test
    void stopRemovesTheContextFromTheHostServer() throws Exception {
        api.stop(Duration.ZERO);
        HttpResponse<String> after = get("/docksmith/api/health");
        assertEquals(404, after.statusCode());
        assertTrue(!after.body().contains("success"), "the host's own 404 now");
        assertEquals("host app", get("/app").body());
    }
}
