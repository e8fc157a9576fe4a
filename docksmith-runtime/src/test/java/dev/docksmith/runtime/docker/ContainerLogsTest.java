package dev.docksmith.runtime.docker;

import dev.docksmith.api.BadRequestException;
import dev.docksmith.api.DockerException;
import dev.docksmith.api.NotFoundException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Container logs: multiplexed frames, TTY streams, the since parameter. */
@Timeout(30) // a broken timeout must fail the test, not hang the build
class ContainerLogsTest {
    @TempDir
    Path dir;
    FakeEngine engine;
    DockerClient client;

    @BeforeEach
    void start() throws IOException {
        engine = FakeEngine.start(dir.resolve("docker.sock"));
        client = DockerClient.create(engine.host(), Duration.ofSeconds(5));
    }

    @AfterEach
    void stop() throws IOException {
        client.close();
        engine.close();
    }

    static byte[] frame(int stream, String text) {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[8 + payload.length];
        out[0] = (byte) stream;
        out[4] = (byte) (payload.length >>> 24);
        out[5] = (byte) (payload.length >>> 16);
        out[6] = (byte) (payload.length >>> 8);
        out[7] = (byte) payload.length;
        System.arraycopy(payload, 0, out, 8, payload.length);
        return out;
    }

    private void container(boolean tty) {
        engine.on("GET", "/containers/web/json", (r, x) -> x.json(200, "{\"Id\":\"w\",\"Config\":{\"Tty\":" + tty + "}}"));
    }

    @Test
    void multiplexedFramesSplitAcrossReadsAreJoinedInOrder() {
        container(false);
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        all.writeBytes(frame(1, "out one\n"));
        all.writeBytes(frame(2, "err one\n"));
        all.writeBytes(frame(1, "out two ünïcødé\n"));
        all.writeBytes(frame(2, "x".repeat(20_000) + "\n"));
        byte[] bytes = all.toByteArray();
        engine.on("GET", "/containers/web/logs", (r, x) -> {
            // 1.41 says raw-stream even when it multiplexes; chunked; pieces cut inside headers and payloads
            x.raw("HTTP/1.1 200 OK\r\nContent-Type: application/vnd.docker.raw-stream\r\nTransfer-Encoding: chunked\r\n\r\n");
            int[] cuts = {3, 11, 17, 30, 31, 45, 5000, bytes.length};
            int from = 0;
            for (int cut : cuts) {
                x.raw(Integer.toHexString(cut - from) + "\r\n");
                x.raw(java.util.Arrays.copyOfRange(bytes, from, cut));
                x.raw("\r\n");
                Thread.sleep(5);
                from = cut;
            }
            x.raw("0\r\n\r\n");
        });
        String logs = client.logs("web", null, null, false);
        assertEquals("out one\nerr one\nout two ünïcødé\n" + "x".repeat(20_000) + "\n", logs);
        assertEquals("stdout=1&stderr=1&tail=all", engine.lastRequest().query());
    }

    @Test
    void ttyLogsAreRawEvenWhenTheyLookLikeFrames() {
        container(true);
        // bytes that would parse as a stdout frame of 2 bytes if wrongly demultiplexed
        byte[] raw = {1, 0, 0, 0, 0, 0, 0, 2, 'h', 'i', '\r', '\n'};
        engine.on("GET", "/containers/web/logs", (r, x) -> x.respond(200,
                Map.of("Content-Type", "application/vnd.docker.raw-stream"), raw));
        assertEquals(new String(raw, StandardCharsets.UTF_8), client.logs("web", 10, null, true));
        assertEquals("stdout=1&stderr=1&tail=10&timestamps=1", engine.lastRequest().query());
    }

    @Test
    void newerEnginesSayMultiplexedInTheContentTypeSoNoInspectIsNeeded() {
        engine.apiVersion = "1.47";
        // no inspect route: an inspect would 404 and fail the call
        engine.on("GET", "/containers/web/logs", (r, x) -> x.respond(200,
                Map.of("Content-Type", "application/vnd.docker.multiplexed-stream"), frame(2, "only stderr")));
        assertEquals("only stderr", client.logs("web", null, null, false));
        engine.on("GET", "/containers/web/logs", (r, x) -> x.respond(200,
                Map.of("Content-Type", "application/vnd.docker.raw-stream"), "tty\r\n"));
        assertEquals("tty\r\n", client.logs("web", null, null, false));
    }

    @Test
    void truncatedFrameIsAnError() {
        container(false);
        byte[] cut = java.util.Arrays.copyOf(frame(1, "0123456789"), 12);
        engine.on("GET", "/containers/web/logs", (r, x) -> x.respond(200, Map.of(), cut));
        DockerException e = assertThrows(DockerException.class, () -> client.logs("web", null, null, false));
        assertTrue(e.getMessage().startsWith("reading logs of container web: "), e.getMessage());
    }

    @Test
    void logsOfAMissingContainerAreNotFound() {
        NotFoundException e = assertThrows(NotFoundException.class, () -> client.logs("ghost", null, null, false));
        assertTrue(e.getMessage().contains("ghost"), e.getMessage());
    }

    @Test
    void sinceAcceptsRfc3339AndUnixSeconds() {
        container(false);
        engine.on("GET", "/containers/web/logs", (r, x) -> x.respond(200, Map.of(), new byte[0]));
        client.logs("web", null, "2024-01-15T10:00:00Z", false);
        assertTrue(engine.lastRequest().query().contains("since=1705312800"), engine.lastRequest().query());
        client.logs("web", null, "1705312800.5", false);
        assertTrue(engine.lastRequest().query().contains("since=1705312800.5"), engine.lastRequest().query());

        assertEquals("1705312800", ContainerLogs.unixSince("2024-01-15T11:00:00+01:00"));
        assertEquals("1705312800.250000000", ContainerLogs.unixSince("2024-01-15t10:00:00.25z"));
        assertEquals("1705312800", ContainerLogs.unixSince("2024-01-15 10:00:00Z"));
        assertEquals(null, ContainerLogs.unixSince(" "));
        assertThrows(BadRequestException.class, () -> ContainerLogs.unixSince("yesterday"));
        assertThrows(BadRequestException.class, () -> client.logs("web", -1, null, false));
    }

    @Test
    void demultiplexKeepsOnlyTheNewestBytesBeyondTheLimit() throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (int i = 0; i < 100; i++) {
            all.writeBytes(frame(1 + i % 2, String.format("line %03d\n", i)));
        }
        byte[] kept = LogFrames.demultiplex(new ByteArrayInputStream(all.toByteArray()), 27);
        assertEquals("line 097\nline 098\nline 099\n", new String(kept, StandardCharsets.UTF_8));
        byte[] raw = LogFrames.raw(new ByteArrayInputStream("abcdefghij".getBytes(StandardCharsets.UTF_8)), 4);
        assertArrayEquals("ghij".getBytes(StandardCharsets.UTF_8), raw);
    }

    @Test
    void demultiplexReadsFramesDeliveredOneByteAtATime() throws IOException {
        byte[] bytes = new ByteArrayOutputStream() {
            {
                writeBytes(frame(1, "a"));
                writeBytes(frame(2, "bc"));
            }
        }.toByteArray();
        ByteArrayInputStream source = new ByteArrayInputStream(bytes);
        InputStream trickle = new InputStream() {
            @Override
            public int read() {
                return source.read();
            }

            @Override
            public int read(byte[] b, int off, int len) {
                return source.read(b, off, Math.min(len, 1));
            }
        };
        assertEquals("abc", new String(LogFrames.demultiplex(trickle, 1024), StandardCharsets.UTF_8));
    }
}
