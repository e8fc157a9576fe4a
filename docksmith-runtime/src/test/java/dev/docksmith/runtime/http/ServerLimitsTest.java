package dev.docksmith.runtime.http;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The own server's caps over a real socket: requests over the cap, and bodies left unread. */
class ServerLimitsTest {
    private static final String DASHBOARD = "https://dash.example.com";
    private final CountDownLatch entered = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private HttpApi api;
    private int port;

    private void start(ServerLimits limits, String token) throws Exception {
        Router router = new Router().register(new TestRoutes()).register(r -> r.get("/api/wait", request -> {
            entered.countDown();
            release.await(30, TimeUnit.SECONDS);
            return Map.of("waited", true);
        }));
        api = HttpApi.builder(router).limits(limits)
                .security(new SecurityPolicy(token, "127.0.0.1", 0, List.of(DASHBOARD), List.of())).build();
        port = api.start(new InetSocketAddress("127.0.0.1", 0)).getPort();
    }

    @AfterEach
    void stop() {
        release.countDown();
        if (api != null) {
            api.stop(Duration.ZERO);
        }
    }

    @Test
    void aRequestOverTheCapIsAnswered429AndTheNextOneRunsOnceThereIsRoom() throws Exception {
        start(new ServerLimits(Duration.ofSeconds(10), Duration.ofSeconds(30), 1, 1 + ServerLimits.OVERFLOW), null);
        CompletableFuture<Resp> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return RawHttp.send(port, "GET /api/wait HTTP/1.1\r\nHost: 127.0.0.1", null);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        assertTrue(entered.await(10, TimeUnit.SECONDS), "the first request never reached its handler");

        Resp refused = RawHttp.send(port, "GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: " + DASHBOARD, null);
        assertEquals(429, refused.status());
        RoutingContract.assertErrorEnvelope(refused, "RATE_LIMITED");
        assertTrue(refused.json().at("/error/message").asText().contains("takes 1 at once"), refused.body());
        assertEquals("1", refused.header("Retry-After").orElseThrow());
        assertEquals(DASHBOARD, refused.header("Access-Control-Allow-Origin").orElseThrow(), "a dashboard must read why");

        release.countDown();
        assertEquals(200, waiting.get(10, TimeUnit.SECONDS).status());
        assertEquals(200, RawHttp.send(port, "GET /api/health HTTP/1.1\r\nHost: 127.0.0.1", null).status());
    }

    @Test
    void errorRepliesToAListedOriginCarryCorsHeaders() throws Exception {
        start(ServerLimits.defaults(), "s3cret");
        String origin = "\r\nOrigin: " + DASHBOARD;
        Resp unauthorized = RawHttp.send(port, "GET /api/containers/x/logs HTTP/1.1\r\nHost: 127.0.0.1" + origin, null);
        assertEquals(401, unauthorized.status());
        assertEquals(DASHBOARD, unauthorized.header("Access-Control-Allow-Origin").orElseThrow());
        assertEquals("Origin", unauthorized.header("Vary").orElseThrow());

        Resp notFound = RawHttp.send(port, "GET /api/nothing HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer s3cret" + origin, null);
        assertEquals(404, notFound.status());
        assertEquals(DASHBOARD, notFound.header("Access-Control-Allow-Origin").orElseThrow());

        Resp forbidden = RawHttp.send(port, "GET /api/health HTTP/1.1\r\nHost: evil.example.com" + origin, null);
        assertEquals(403, forbidden.status());
        assertEquals(DASHBOARD, forbidden.header("Access-Control-Allow-Origin").orElseThrow());

        Resp foreign = RawHttp.send(port, "GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: https://evil.example.com", null);
        assertEquals(403, foreign.status());
        assertTrue(foreign.header("Access-Control-Allow-Origin").isEmpty(), "an origin not listed gets no CORS headers");
    }

    @Test
    void aRefusedRequestsBodyIsNotWaitedForAndItsConnectionIsClosed() throws Exception {
        start(ServerLimits.defaults(), "s3cret");
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            // declares 100 bytes and sends none: the 401 must come at once, not after a drain
            out.write(("POST /api/echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 100\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            long start = System.nanoTime();
            InputStream in = socket.getInputStream();
            Resp reply = RawHttp.read(in);
            assertEquals(401, reply.status());
            assertEquals("close", reply.header("Connection").orElseThrow(), "the client must know the connection ends");
            // That the JDK server then closes without draining depends on system properties it reads once
            // per JVM (another test here may have started a JDK server first): SlowClientsIT checks it on the jar.
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(3), "waited for the body");
        }
    }

    @Test
    void limitsBelowOneSecondOrACapWithoutRoomAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new ServerLimits(Duration.ofMillis(500), Duration.ofSeconds(30), 1, 100));
        assertThrows(IllegalArgumentException.class, () -> new ServerLimits(Duration.ofSeconds(1), Duration.ofSeconds(30), 10, 10));
    }
}
