package dev.docksmith.registry.v2;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The wire protocol of {@link BlockingHttp}, against a fake server that answers exactly what each test scripts. */
class BlockingHttpTest {
    private final List<FakeServer> servers = new ArrayList<>();
    private final BlockingHttp http = new BlockingHttp("docksmith/test", 8);

    @AfterEach
    void stop() throws IOException {
        for (FakeServer s : servers) {
            s.close();
        }
    }

    @Test
    void readsAChunkedBodyWithExtensionsAndTrailersAndKeepsTheConnection() throws Exception {
        FakeServer server = server((head, out, n) -> {
            write(out, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\n"
                    + "4\r\nWiki\r\n5;ext=1\r\npedia\r\nA\r\n in chunks\r\n0\r\nX-Trailer: y\r\n\r\n");
            return true;
        });
        for (int i = 0; i < 2; i++) {
            HttpResponse<byte[]> r = http.send(get(server, "/v2/"));
            assertEquals(200, r.statusCode());
            assertEquals("Wikipedia in chunks", new String(r.body(), StandardCharsets.UTF_8));
            assertEquals("application/json", r.headers().firstValue("content-type").orElseThrow());
        }
        assertEquals(1, server.accepted.get());
    }

    @Test
    void reusesOneConnectionForSeveralRequestsIncludingHeadWithoutBody() throws Exception {
        FakeServer server = server((head, out, n) -> {
            // A HEAD answer names the length the GET body would have, but sends none.
            write(out, "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nDocker-Content-Digest: sha256:abc\r\n\r\n"
                    + (head.startsWith("HEAD") ? "" : "hello"));
            return true;
        });
        for (int i = 0; i < 3; i++) {
            assertEquals("hello", new String(http.send(get(server, "/v2/x/tags/list?n=1000")).body(), StandardCharsets.UTF_8));
            HttpResponse<byte[]> head = http.send(request("HEAD", server, "/v2/x/manifests/1", null));
            assertEquals(0, head.body().length);
            assertEquals("sha256:abc", head.headers().firstValue("Docker-Content-Digest").orElseThrow());
        }
        assertEquals(1, server.accepted.get());
        assertEquals(1, http.pool().idleCount(HttpConnection.key(server.uri("/"))));
        String first = server.heads.get(0);
        assertTrue(first.startsWith("GET /v2/x/tags/list?n=1000 HTTP/1.1\r\n"), first);
        assertTrue(first.contains("\r\nHost: 127.0.0.1:" + server.port() + "\r\n"), first);
        assertTrue(first.contains("\r\nUser-Agent: docksmith/test\r\n"), first);
        assertTrue(first.contains("\r\nAccept: application/json\r\n"), first);
    }

    @Test
    void connectionCloseIsNotPooled() throws Exception {
        FakeServer server = server((head, out, n) -> {
            write(out, "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok");
            return false;
        });
        for (int i = 0; i < 3; i++) {
            assertEquals("ok", new String(http.send(get(server, "/")).body(), StandardCharsets.UTF_8));
        }
        assertEquals(3, server.accepted.get());
        assertEquals(0, http.pool().idleCount(HttpConnection.key(server.uri("/"))));
    }

    @Test
    void bodyUntilCloseIsReadAndNotPooled() throws Exception {
        FakeServer server = server((head, out, n) -> {
            write(out, "HTTP/1.1 200 OK\r\n\r\nall of it");
            return false;
        });
        assertEquals("all of it", new String(http.send(get(server, "/")).body(), StandardCharsets.UTF_8));
        assertEquals(0, http.pool().idleCount(HttpConnection.key(server.uri("/"))));
    }

    @Test
    void stalePooledConnectionIsRetriedOnceForGetAndHeadButNotForPost() throws Exception {
        // Answers as if keeping the connection, then closes it: the next request finds it dead.
        FakeServer server = server((head, out, n) -> {
            write(out, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
            return false;
        });
        assertEquals(200, http.send(get(server, "/a")).statusCode());
        Thread.sleep(100); // let the close arrive
        assertEquals(200, http.send(request("HEAD", server, "/b", null)).statusCode());
        Thread.sleep(100);
        assertEquals("ok", new String(http.send(get(server, "/c")).body(), StandardCharsets.UTF_8));
        assertEquals(3, server.accepted.get());
        assertEquals(3, server.heads.size(), "each request reached the server exactly once");

        Thread.sleep(100);
        assertThrows(IOException.class, () -> http.send(request("POST", server, "/token", "a=b".getBytes(StandardCharsets.UTF_8))));
        assertEquals(3, server.accepted.get(), "a POST is never sent twice");
    }

    @Test
    void readTimeoutEndsARequestTheServerNeverAnswers() throws Exception {
        FakeServer server = server((head, out, n) -> {
            Thread.sleep(5000);
            return false;
        });
        long start = System.nanoTime();
        Http.Request r = new Http.Request("GET", server.uri("/slow"), List.of(), null, Duration.ofMillis(300));
        assertThrows(SocketTimeoutException.class, () -> http.send(r));
        long took = (System.nanoTime() - start) / 1_000_000;
        assertTrue(took >= 250 && took < 1500, "took " + took + " ms");
    }

    @Test
    void followsRedirectsAndDropsAuthorizationForAnotherHost() throws Exception {
        FakeServer blobs = server((head, out, n) -> {
            write(out, "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nblob");
            return true;
        });
        FakeServer registry = server((head, out, n) -> {
            String target = head.startsWith("GET /v2/first") ? "/v2/second" : blobs.uri("/data").toString();
            write(out, "HTTP/1.1 307 Temporary Redirect\r\nLocation: " + target + "\r\nContent-Length: 0\r\n\r\n");
            return true;
        });
        Http.Request r = new Http.Request("GET", registry.uri("/v2/first"), List.of("Authorization", "Bearer t"), null,
                Duration.ofSeconds(5));
        HttpResponse<byte[]> response = http.send(r);
        assertEquals("blob", new String(response.body(), StandardCharsets.UTF_8));
        assertEquals(blobs.uri("/data"), response.uri());
        assertTrue(registry.heads.get(1).contains("Authorization: Bearer t"), "same host keeps the credentials");
        assertFalse(blobs.heads.get(0).contains("Authorization"), blobs.heads.get(0));
        assertEquals(1, registry.accepted.get());
    }

    @Test
    void doesNotFollowADowngradeToPlainHttpOrEndlessRedirects() throws Exception {
        FakeServer loop = server((head, out, n) -> {
            write(out, "HTTP/1.1 302 Found\r\nLocation: /again\r\nContent-Length: 0\r\n\r\n");
            return true;
        });
        IOException e = assertThrows(IOException.class, () -> http.send(get(loop, "/")));
        assertTrue(e.getMessage().contains("redirects"), e.getMessage());
        assertEquals(6, loop.heads.size());

        assertFalse(BlockingHttp.allowed(URI.create("https://r.example/v2/"), URI.create("http://blobs.example/x")));
        assertTrue(BlockingHttp.allowed(URI.create("http://r.example/v2/"), URI.create("https://blobs.example/x")));
        assertFalse(BlockingHttp.allowed(URI.create("https://r.example/v2/"), URI.create("ftp://blobs.example/x")));
    }

    // --- the fake server -------------------------------------------------------------------------------------

    @FunctionalInterface
    interface Handler {
        /** Answers one request; false closes the connection afterwards. */
        boolean answer(String head, OutputStream out, int connection) throws Exception;
    }

    private FakeServer server(Handler handler) throws IOException {
        FakeServer s = new FakeServer(handler);
        servers.add(s);
        return s;
    }

    private static Http.Request get(FakeServer server, String path) {
        return new Http.Request("GET", server.uri(path), List.of("Accept", "application/json"), null, Duration.ofSeconds(5));
    }

    private static Http.Request request(String method, FakeServer server, String path, byte[] body) {
        return new Http.Request(method, server.uri(path), List.of(), body, Duration.ofSeconds(5));
    }

    private static void write(OutputStream out, String s) throws IOException {
        out.write(s.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** One thread per connection; reads request heads (and a Content-Length body) and lets the handler answer. */
    static final class FakeServer implements AutoCloseable {
        final AtomicInteger accepted = new AtomicInteger();
        final List<String> heads = new CopyOnWriteArrayList<>();
        private final ServerSocket socket;
        private final Handler handler;

        FakeServer(Handler handler) throws IOException {
            this.handler = handler;
            this.socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread t = new Thread(this::accept, "fake-http-accept");
            t.setDaemon(true);
            t.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        URI uri(String path) {
            return URI.create("http://127.0.0.1:" + port() + path);
        }

        private void accept() {
            while (!socket.isClosed()) {
                try {
                    Socket c = socket.accept();
                    int n = accepted.incrementAndGet();
                    Thread t = new Thread(() -> serve(c, n), "fake-http-" + n);
                    t.setDaemon(true);
                    t.start();
                } catch (IOException e) {
                    return;
                }
            }
        }

        private void serve(Socket c, int n) {
            try (c) {
                BufferedReader in = new BufferedReader(new InputStreamReader(c.getInputStream(), StandardCharsets.ISO_8859_1));
                while (true) {
                    StringBuilder head = new StringBuilder();
                    int length = 0;
                    for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                        head.append(line).append("\r\n");
                        if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                            length = Integer.parseInt(line.substring(15).trim());
                        }
                    }
                    if (head.length() == 0) {
                        return;
                    }
                    in.skip(length);
                    heads.add(head.toString());
                    if (!handler.answer(head.toString(), c.getOutputStream(), n)) {
                        return;
                    }
                }
            } catch (Exception e) {
                // the client went away
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
