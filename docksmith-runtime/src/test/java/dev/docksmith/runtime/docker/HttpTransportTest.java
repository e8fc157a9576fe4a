package dev.docksmith.runtime.docker;

import dev.docksmith.runtime.docker.transport.HttpTransport;
import dev.docksmith.runtime.docker.transport.DockerRequest;
import dev.docksmith.runtime.docker.transport.DockerResponse;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.EOFException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** HTTP/1.1 framing and connection handling of {@link HttpTransport} against a fake AF_UNIX engine. */
@Timeout(30) // a broken timeout must fail the test, not hang the build
class HttpTransportTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    @TempDir
    Path dir;
    FakeEngine engine;
    HttpTransport transport;

    @BeforeEach
    void start() throws IOException {
        engine = FakeEngine.start(dir.resolve("docker.sock"));
        transport = HttpTransport.create(engine.host());
    }

    @AfterEach
    void stop() throws IOException {
        transport.close();
        engine.close();
    }

    private String get(String path) throws IOException {
        try (DockerResponse response = transport.execute(DockerRequest.of("GET", path, TIMEOUT))) {
            return new String(response.body().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void contentLengthBodyIsReadExactlyAndTheConnectionReused() throws IOException {
        engine.on("GET", "/a", (r, x) -> x.json(200, "{\"a\":1}"));
        assertEquals("{\"a\":1}", get("/a"));
        assertEquals("{\"a\":1}", get("/a"));
        assertEquals(1, engine.connections());
        assertEquals(1, transport.idleConnections());
    }

    @Test
    void chunkedBodyWithExtensionsAndTrailers() throws IOException {
        engine.on("GET", "/chunked", (r, x) -> x.raw("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5;name=value\r\nhello\r\n"
                + "1\r\n \r\n"
                + "0000005;x=\"quoted\"\r\nworld\r\n"
                + "0\r\nX-Trailer: one\r\nX-Other: two\r\n\r\n"));
        engine.on("GET", "/after", (r, x) -> x.json(200, "next"));
        assertEquals("hello world", get("/chunked"));
        // the trailers were consumed: the next response on the same connection parses cleanly
        assertEquals("next", get("/after"));
        assertEquals(1, engine.connections());
    }

    @Test
    void chunkedBodySplitAcrossWrites() throws IOException {
        engine.on("GET", "/slow", (r, x) -> {
            x.raw("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
            for (String piece : new String[] {"a", "\r", "\n0123", "456789", "\r\n", "0\r", "\n\r\n"}) {
                x.raw(piece);
                Thread.sleep(20);
            }
        });
        assertEquals("0123456789", get("/slow"));
        engine.on("GET", "/again", (r, x) -> x.json(200, "ok"));
        assertEquals("ok", get("/again"));
        assertEquals(1, engine.connections());
    }

    @Test
    void keepAliveCarriesManyCallsOnOneConnection() throws IOException {
        engine.on("GET", "/n", (r, x) -> x.json(200, "[]"));
        for (int i = 0; i < 25; i++) {
            assertEquals("[]", get("/n"));
        }
        assertEquals(1, engine.connections());
    }

    @Test
    void connectionCloseIsHonoured() throws IOException {
        engine.on("GET", "/close", (r, x) -> {
            x.respond(200, Map.of("Connection", "close"), "bye");
            x.closeAfter();
        });
        for (int i = 0; i < 3; i++) {
            assertEquals("bye", get("/close"));
        }
        assertEquals(3, engine.connections());
        assertEquals(0, transport.idleConnections());
    }

    @Test
    void bodyWithoutFramingLastsUntilCloseAndIsNotPooled() throws IOException {
        engine.on("GET", "/eof", (r, x) -> {
            x.raw("HTTP/1.1 200 OK\r\n\r\nuntil the end");
            x.closeAfter();
        });
        assertEquals("until the end", get("/eof"));
        assertEquals(0, transport.idleConnections());
    }

    @Test
    void connectionClosedEarlyIsNotReturnedToThePool() throws IOException {
        engine.on("GET", "/big", (r, x) -> x.json(200, "x".repeat(100_000)));
        try (DockerResponse response = transport.execute(DockerRequest.of("GET", "/big", TIMEOUT))) {
            response.body().readNBytes(10); // then close without reading the rest
        }
        assertEquals(0, transport.idleConnections());
        assertEquals(100_000, get("/big").length());
        assertEquals(2, engine.connections());
    }

    @Test
    void droppedMidBodyIsAnErrorAndTheNextCallWorks() throws IOException {
        engine.on("GET", "/drop", (r, x) -> {
            x.raw("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n0123456789");
            x.drop();
        });
        engine.on("GET", "/fine", (r, x) -> x.json(200, "fine"));
        EOFException e = assertThrows(EOFException.class, () -> get("/drop"));
        assertTrue(e.getMessage().contains("10 of 100"), e.getMessage());
        assertEquals("fine", get("/fine"));
    }

    @Test
    void readTimeoutFiresOnAStalledUnixSocket() throws IOException {
        engine.on("GET", "/stall", (r, x) -> Thread.sleep(3_000));
        long start = System.nanoTime();
        assertThrows(SocketTimeoutException.class,
                () -> transport.execute(DockerRequest.of("GET", "/stall", Duration.ofMillis(300))));
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(millis >= 250 && millis < 2_500, "timed out after " + millis + " ms");
    }

    @Test
    void readTimeoutFiresWhenTheBodyStalls() throws IOException {
        engine.on("GET", "/half", (r, x) -> {
            x.raw("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n01234");
            Thread.sleep(3_000);
        });
        try (DockerResponse response = transport.execute(DockerRequest.of("GET", "/half", Duration.ofMillis(300)))) {
            assertThrows(SocketTimeoutException.class, () -> response.body().readAllBytes());
        }
        assertEquals(0, transport.idleConnections());
    }

    @Test
    void streamingRequestsHaveNoReadTimeoutAndTheirOwnConnection() throws IOException {
        engine.on("GET", "/pooled", (r, x) -> x.json(200, "p"));
        engine.on("GET", "/stream", (r, x) -> {
            x.raw("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
            Thread.sleep(600); // longer than the timeout below
            x.raw("2\r\nok\r\n0\r\n\r\n");
        });
        assertEquals("p", get("/pooled"));
        DockerRequest streaming = DockerRequest.of("GET", "/stream", Duration.ofMillis(200)).asStreaming();
        try (DockerResponse response = transport.execute(streaming)) {
            assertEquals("ok", new String(response.body().readAllBytes(), StandardCharsets.UTF_8));
        }
        assertEquals(2, engine.connections());
        assertEquals(1, transport.idleConnections(), "the streaming connection never joins the pool");
    }

    @Test
    void staleIdleConnectionIsDetectedAndReplaced() throws Exception {
        engine.on("GET", "/once", (r, x) -> {
            x.json(200, "1");
            x.closeAfter(); // the engine hangs up on an idle connection without saying so
        });
        assertEquals("1", get("/once"));
        Thread.sleep(100);
        assertEquals("1", get("/once"));
        assertEquals(2, engine.connections());
    }

    @Test
    void idempotentRequestIsRetriedOnceWhenAPooledConnectionDies() throws IOException {
        java.util.Set<Integer> used = java.util.concurrent.ConcurrentHashMap.newKeySet();
        FakeEngine.Handler firstRequestOnly = (r, x) -> {
            if (!used.add(r.connection())) {
                x.drop(); // the engine went away between our staleness check and this request
            }
            x.json(200, "ok");
        };
        engine.on("GET", "/flaky", firstRequestOnly);
        engine.on("POST", "/flaky", firstRequestOnly);
        assertEquals("ok", get("/flaky"));
        assertEquals("ok", get("/flaky"), "GET is retried on a fresh connection");
        assertEquals(2, engine.connections());
        // POST is not idempotent: sending it twice could do the work twice, so the failure surfaces
        assertThrows(IOException.class, () -> transport.execute(DockerRequest.of("POST", "/flaky", TIMEOUT)).close());
        assertEquals(2, engine.connections());
    }

    @Test
    void noContentAndNotModifiedHaveNoBody() throws IOException {
        engine.on("POST", "/start", (r, x) -> x.empty(304));
        engine.on("POST", "/stop", (r, x) -> x.empty(204));
        for (String path : new String[] {"/start", "/stop", "/start"}) {
            try (DockerResponse response = transport.execute(DockerRequest.of("POST", path, TIMEOUT))) {
                assertEquals(0, response.body().readAllBytes().length);
            }
        }
        assertEquals(1, engine.connections());
        assertEquals("0", engine.lastRequest().headers().get("Content-Length"));
    }

    @Test
    void requestBodyAndHeadersAreSent() throws IOException {
        engine.on("POST", "/echo", (r, x) -> x.json(201, r.bodyText()));
        DockerRequest request = DockerRequest.of("POST", "/echo", TIMEOUT).withJson("{\"k\":\"v\"}".getBytes(StandardCharsets.UTF_8));
        try (DockerResponse response = transport.execute(request)) {
            assertEquals(201, response.status());
            assertEquals("application/json", response.mediaType());
            assertEquals("{\"k\":\"v\"}", new String(response.body().readAllBytes(), StandardCharsets.UTF_8));
        }
        assertEquals("application/json", engine.lastRequest().headers().get("content-type"));
    }

    @Test
    void requestTargetsCannotCarryControlCharacters() {
        assertThrows(IllegalArgumentException.class, () -> DockerRequest.of("GET", "/a b", TIMEOUT));
        assertThrows(IllegalArgumentException.class, () -> DockerRequest.of("GET", "/a\r\nX: y", TIMEOUT));
        assertThrows(IllegalArgumentException.class, () -> DockerRequest.of("GET", "/a", TIMEOUT).withHeader("X", "a\nb"));
        assertFalse(DockerRequest.of("POST", "/a", TIMEOUT).idempotent());
        assertTrue(DockerRequest.of("DELETE", "/a", TIMEOUT).idempotent());
    }
}
