package dev.docksmith.runtime;

import com.sun.net.httpserver.HttpServer;
import dev.docksmith.runtime.store.InMemoryStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.URL;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * start(), stop() and close() in any order leave no thread of Docksmith's behind, whether it serves
 * on its own server with its own worker pool or is mounted on the host's server. Without an engine
 * (see {@link TestPlugins#noEngine}); EmbeddingIT does the same against a real one.
 */
class LifecycleThreadsTest {

    @Test
    void ownServerAndOwnPoolAreGoneAfterStop(@TempDir Path dir) throws Exception {
        LeftoverThreads threads = LeftoverThreads.snapshot();
        Docksmith docksmith = Docksmith.builder().config(TestPlugins.noEngine(dir)).build().start();
        assertTrue(docksmith.port() > 0, "port 0 picked a free port");
        TestPlugins.get(docksmith, "/api/docker-config");
        assertThrows(RuntimeException.class, docksmith::check, "no engine: the check fails, after using the worker pool");
        HttpURLConnection events = open(docksmith.port(), "/api/events"); // an event stream has a thread of its own
        assertEquals(200, events.getResponseCode());

        docksmith.stop();
        events.disconnect();
        threads.assertNoneLeft();
        assertEquals(-1, docksmith.port());
    }

    @Test
    void mountedOnTheHostServerLeavesItServingAndNoThreadsOfOurs(@TempDir Path dir) throws Exception {
        HttpServer host = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        host.createContext("/own", exchange -> {
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        host.start();
        int port = host.getAddress().getPort();
        try {
            LeftoverThreads threads = LeftoverThreads.snapshot();
            Docksmith docksmith = Docksmith.builder().config(TestPlugins.noEngine(dir)).httpServer(host, "/docksmith")
                    .store(new InMemoryStore()).build().start();
            assertEquals(-1, docksmith.port(), "the port is the host's");
            assertEquals(200, open(port, "/docksmith/api/health").getResponseCode());
            HttpURLConnection events = open(port, "/docksmith/api/events");
            assertEquals(200, events.getResponseCode());

            docksmith.close();
                events.disconnect();
            threads.assertNoneLeft();
            assertEquals(404, open(port, "/docksmith/api/health").getResponseCode(), "our context is removed");
            assertEquals(204, open(port, "/own").getResponseCode(), "the host's server goes on");
        } finally {
            host.stop(0);
        }
    }

    @Test
    void anyOrderOfStopCloseAndStartIsSafe(@TempDir Path dir) throws Exception {
        LeftoverThreads threads = LeftoverThreads.snapshot();
        Docksmith never = Docksmith.builder().config(TestPlugins.noEngine(dir)).build();
        never.stop();
        never.close();
        IllegalStateException refused = assertThrows(IllegalStateException.class, never::start);
        assertEquals("a stopped Docksmith cannot be started again; build a new one", refused.getMessage());

        Docksmith docksmith = Docksmith.builder().config(TestPlugins.noEngine(dir)).build();
        assertSame(docksmith, docksmith.start());
        assertSame(docksmith, docksmith.start(), "a second start is harmless");
        docksmith.close();
        docksmith.close();
        docksmith.stop();
        assertThrows(IllegalStateException.class, docksmith::start);
        assertThrows(IllegalStateException.class, docksmith::check, "a stopped instance says so");
        threads.assertNoneLeft();
    }

    private static HttpURLConnection open(int port, String path) throws Exception {
        HttpURLConnection c = (HttpURLConnection) new URL("http://127.0.0.1:" + port + path).openConnection();
        c.setReadTimeout(10_000);
        return c;
    }
}
