package dev.docksmith.runtime.http;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** 413 on the declared length (before reading anything) and while reading a chunked body. */
class BodyLimitTest {
    private HttpApi api;
    private int port;

    @BeforeEach
    void start() throws IOException {
        api = HttpApi.builder(new Router().register(new TestRoutes())).build(); // default limit: 1 MiB
        port = api.start(new InetSocketAddress("127.0.0.1", 0)).getPort();
    }

    @AfterEach
    void stop() {
        api.stop(Duration.ZERO);
    }

    private static byte[] jsonOfSize(int size) {
        byte[] body = new byte[size];
        Arrays.fill(body, (byte) ' ');
        body[0] = '{';
        body[size - 1] = '}';
        return body;
    }

    @Test
    void declaredLengthOverTheLimitIsRefusedWithoutSendingTheBody() throws IOException {
        Resp resp = RawHttp.send(port, "POST /api/echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + (HttpApi.DEFAULT_BODY_LIMIT + 1), null);
        assertEquals(413, resp.status());
        RoutingContract.assertErrorEnvelope(resp, "PAYLOAD_TOO_LARGE");
    }

    @Test
    void declaredLengthIsCheckedEvenOnUnknownRoutes() throws IOException {
        Resp resp = RawHttp.send(port, "PUT /api/nothing HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5000000", null);
        assertEquals(413, resp.status());
    }

    @Test
    void bodyAtTheLimitIsAccepted() throws IOException {
        byte[] body = jsonOfSize((int) HttpApi.DEFAULT_BODY_LIMIT);
        Resp resp = RawHttp.send(port, "POST /api/echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + body.length, body);
        assertEquals(200, resp.status(), resp.body());
    }

    @Test
    void chunkedBodyOverTheLimitIsRefusedWhileReading() throws IOException {
        assertEquals(413, sendChunked((int) HttpApi.DEFAULT_BODY_LIMIT + 1).status());
        assertEquals(200, sendChunked(1000).status());
    }

    /** A body of {@code size} bytes in 64 KiB chunks, no Content-Length. */
    private Resp sendChunked(int size) throws IOException {
        byte[] body = jsonOfSize(size);
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            ByteArrayOutputStream chunked = new ByteArrayOutputStream();
            for (int offset = 0; offset < body.length; offset += 65536) {
                int n = Math.min(65536, body.length - offset);
                chunked.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                chunked.write(body, offset, n);
                chunked.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
            }
            chunked.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            try {
                out.write(chunked.toByteArray());
                out.flush();
            } catch (IOException serverStoppedReading) {
                // fine: the reply is what counts
            }
            InputStream in = socket.getInputStream();
            return RawHttp.read(in);
        }
    }

    @Test
    void limitIsConfigurable() throws IOException {
        HttpApi small = HttpApi.builder(new Router().register(new TestRoutes())).bodyLimit(10).build();
        int smallPort = small.start(new InetSocketAddress("127.0.0.1", 0)).getPort();
        try {
            byte[] body = "{\"container\":\"nginx\"}".getBytes(StandardCharsets.UTF_8);
            Resp resp = RawHttp.send(smallPort, "POST /api/echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + body.length, body);
            assertEquals(413, resp.status());
        } finally {
            small.stop(Duration.ZERO);
        }
        Reply inMemory = HttpApi.builder(new Router().register(new TestRoutes())).bodyLimit(10).build()
                .handle(Request.builder("POST", "/api/echo").json("{\"container\":\"nginx\"}").build());
        assertEquals(413, inMemory.status());
    }
}
