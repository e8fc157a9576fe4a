package dev.docksmith.runtime.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.docksmith.api.Event;
import dev.docksmith.runtime.Docksmith;
import dev.docksmith.runtime.config.DocksmithConfig;
import dev.docksmith.runtime.config.Setting;
import dev.docksmith.runtime.store.InMemoryStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.docksmith.runtime.it.RealEngine.docker;
import static dev.docksmith.runtime.it.RealEngine.dockerQuietly;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Registry faults, on the real engine and the real local registry (127.0.0.1:5000). Each fault is a
 * loopback proxy of its own in front of that registry, so each is a registry of its own to Docksmith
 * ({@code 127.0.0.1:<port>}, plain http because it is loopback): one forwards faithfully, one answers
 * {@code 429} with {@code Retry-After: 2} to its first request and then forwards, one answers {@code 500}
 * to everything, one resets every connection, one accepts and never answers. The demo image is tagged
 * under each proxy's name (no pull needed) and a container runs from each, beside one on the registry
 * itself. One {@code GET /api/check} must then complete with the healthy registries' containers
 * {@code UPDATE_AVAILABLE} (2.1.0) and checked at once, the 429 one too after honouring the wait, each
 * broken one {@code ERROR} with a reason naming the failure and the registry, and the whole check
 * bounded by its slowest registry, not the sum of every timeout and retry.
 *
 * <p>Timing, with {@code DOCKSMITH_REGISTRY_TIMEOUT=2s} and the registry client's 3 tries with 100 ms
 * doubling backoff: the stalled registry costs about 3 x 2 s + 0.3 s; its tag list and digest are asked
 * side by side. Every fault one after another would be about 2 x 6.3 s (stall) + 2 s (429) + 2 x 0.3 s
 * (500) + 2 x 0.3 s (reset), over 15 s.
 */
class FaultRegistryIT {
    static final String RUN = Long.toString(System.nanoTime(), 36);
    static final String REGISTRY_TIMEOUT = "2s";
    static final long RETRY_AFTER_MS = 2000;
    static final List<String> containers = new ArrayList<>();
    static final List<String> tags = new ArrayList<>();
    /** When each event arrived (System.nanoTime()), to see which container finished when. */
    static final List<Map.Entry<Long, Event>> events = new CopyOnWriteArrayList<>();
    static final Map<Fault, FaultProxy> proxies = new LinkedHashMap<>();
    static Docksmith docksmith;
    static ApiClient api;

    enum Fault { FORWARD, RATE_LIMIT_FIRST, ERROR_500, RESET, STALL }

    @BeforeAll
    static void setUp() throws IOException {
        RealEngine.require();
        for (Fault fault : Fault.values()) {
            FaultProxy proxy = new FaultProxy(fault, 5000);
            proxies.put(fault, proxy);
            String image = "127.0.0.1:" + proxy.port() + "/docksmith/demo:1.0.0";
            docker("tag", RealEngine.DEMO_1, image);
            tags.add(image);
            run(name(fault), image);
        }
        run(name("direct"), RealEngine.DEMO_1);

        DocksmithConfig config = DocksmithConfig.defaults().with(Setting.PORT, "0").with(Setting.CHECK_INTERVAL, "0")
                .with(Setting.REGISTRY_TIMEOUT, REGISTRY_TIMEOUT);
        docksmith = Docksmith.builder().config(config).store(new InMemoryStore())
                .eventListener(e -> events.add(Map.entry(System.nanoTime(), e))).build().start();
        api = new ApiClient("http://127.0.0.1:" + docksmith.port());
    }

    @AfterAll
    static void tearDown() {
        if (docksmith != null) {
            docksmith.close();
        }
        // Another test on this host may be restarting dockerd: clean up once it is back.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (RealEngine.run(List.of("docker", "version")).exit() != 0 && System.nanoTime() < deadline) {
            UpdateFixture.sleep(1000);
        }
        containers.forEach(c -> dockerQuietly("rm", "-f", c));
        tags.forEach(t -> dockerQuietly("rmi", t));
        proxies.values().forEach(FaultProxy::close);
    }

    static String name(Fault fault) {
        return name(fault.name().toLowerCase(Locale.ROOT).replace('_', '-'));
    }

    static String name(String role) {
        return "faultreg-" + role + "-" + RUN;
    }

    static void run(String name, String image) {
        docker("run", "-d", "--name", name, "--label", RealEngine.TEST_LABEL, "--network", "none", image);
        containers.add(name);
    }

    static JsonNode result(JsonNode check, String name) {
        for (JsonNode c : check.path("containers")) {
            if (c.path("name").asText().equals(name)) {
                return c;
            }
        }
        throw new AssertionError(name + " is not in the check: " + check);
    }

    @Test
    void oneCheckCompletesWithEveryFaultConfinedToItsRegistry() {
        proxies.values().forEach(FaultProxy::reset);
        events.clear();
        long t0 = System.nanoTime();
        ApiClient.Response reply = api.get("/api/check");
        long took = ms(t0);
        assertEquals(200, reply.status(), reply.text());
        JsonNode check = reply.data();

        // Healthy: straight to the registry, and through the forwarding proxy.
        for (String healthy : List.of(name("direct"), name(Fault.FORWARD), name(Fault.RATE_LIMIT_FIRST))) {
            JsonNode c = result(check, healthy);
            assertEquals("UPDATE_AVAILABLE", c.path("status").asText(), c.toString());
            assertEquals("1.0.0", c.path("current_version").asText(), c.toString());
            assertEquals("2.1.0", c.path("latest_version").asText(), c.toString());
            assertTrue(c.path("error").isMissingNode() || c.path("error").isNull(), c.toString());
        }

        // 429 honoured: the refused request came again no sooner than Retry-After said.
        FaultProxy limited = proxies.get(Fault.RATE_LIMIT_FIRST);
        long waited = limited.retryGapMillis();
        assertTrue(waited >= RETRY_AFTER_MS, "the 429'd request was sent again after " + waited + " ms: " + limited.log);
        assertTrue(waited < RETRY_AFTER_MS + 3000, "and not much later: " + waited + " ms");

        int port500 = proxies.get(Fault.ERROR_500).port();
        JsonNode failing = result(check, name(Fault.ERROR_500));
        assertEquals("ERROR", failing.path("status").asText(), failing.toString());
        assertReason(failing, "127.0.0.1:" + port500, "500");
        assertEquals(3, proxies.get(Fault.ERROR_500).count("GET /v2/docksmith/demo/tags/list"),
                "a 5xx is tried 3 times: " + proxies.get(Fault.ERROR_500).log);

        JsonNode reset = result(check, name(Fault.RESET));
        assertEquals("ERROR", reset.path("status").asText(), reset.toString());
        assertReason(reset, "127.0.0.1:" + proxies.get(Fault.RESET).port(), "unreachable");

        JsonNode stalled = result(check, name(Fault.STALL));
        assertEquals("ERROR", stalled.path("status").asText(), stalled.toString());
        assertReason(stalled, "127.0.0.1:" + proxies.get(Fault.STALL).port(), "timed out");

        // One slow or dead registry never stalls the others: the healthy ones were done at once.
        long healthyDone = Math.max(checkedAfter(t0, name("direct")), checkedAfter(t0, name(Fault.FORWARD)));
        long failedDone = Math.max(checkedAfter(t0, name(Fault.ERROR_500)), checkedAfter(t0, name(Fault.RESET)));
        long limitedDone = checkedAfter(t0, name(Fault.RATE_LIMIT_FIRST));
        long stalledDone = checkedAfter(t0, name(Fault.STALL));
        for (Fault f : List.of(Fault.ERROR_500, Fault.RESET, Fault.STALL)) {
            System.out.println(f + ": " + result(check, name(f)).path("error").asText());
        }
        System.out.printf("check of %d containers: %d ms; healthy done after %d ms, 500/reset after %d ms, 429 after %d ms "
                        + "(retried after %d ms), stalled after %d ms%n", check.path("containers").size(), took, healthyDone,
                failedDone, limitedDone, waited, stalledDone);
        assertTrue(healthyDone < RETRY_AFTER_MS, "healthy registries answered after " + healthyDone + " ms");
        assertTrue(failedDone < RETRY_AFTER_MS, "500 and reset failed after " + failedDone + " ms");
        assertTrue(limitedDone >= RETRY_AFTER_MS, "429 done after " + limitedDone + " ms");
        // Bounded by the slowest registry: at least its 3 timed-out tries, far less than every fault in a row.
        assertTrue(stalledDone >= 3 * 2000, "the stalled registry was given up after " + stalledDone + " ms");
        assertTrue(took < 12_000, "the check took " + took + " ms");
    }

    @Test
    void aRecheckWaitsOutRetryAfterAndThenAnswers() {
        FaultProxy limited = proxies.get(Fault.RATE_LIMIT_FIRST);
        limited.reset();
        long t0 = System.nanoTime();
        ApiClient.Response reply = api.get("/api/container/" + name(Fault.RATE_LIMIT_FIRST) + "/recheck");
        long took = ms(t0);
        assertEquals(200, reply.status(), reply.text());
        assertEquals("UPDATE_AVAILABLE", reply.data().path("status").asText(), reply.text());
        assertEquals("2.1.0", reply.data().path("latest_version").asText(), reply.text());
        System.out.printf("recheck behind a 429 with Retry-After: 2 took %d ms (retry sent after %d ms)%n", took, limited.retryGapMillis());
        assertTrue(took >= RETRY_AFTER_MS, "took " + took + " ms");
        assertTrue(took < RETRY_AFTER_MS + 5000, "took " + took + " ms");
    }

    static void assertReason(JsonNode result, String... parts) {
        String error = result.path("error").asText();
        for (String part : parts) {
            assertTrue(error.contains(part), "'" + part + "' not in the reason: " + result);
        }
    }

    /** Milliseconds from {@code t0} to the check.progress event saying {@code container} was checked. */
    static long checkedAfter(long t0, String container) {
        for (Map.Entry<Long, Event> e : events) {
            Event event = e.getValue();
            if (event.type().equals("check.progress") && container.equals(event.payload().get("container"))) {
                return TimeUnit.NANOSECONDS.toMillis(e.getKey() - t0);
            }
        }
        throw new AssertionError("no check.progress event for " + container);
    }

    static long ms(long since) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - since);
    }

    /**
     * An HTTP/1.1 proxy on loopback in front of the registry, injecting one fault. Keeps client
     * connections alive as the registry does; forwards each request on a connection of its own
     * ({@code Connection: close} upstream, the reply relayed without that header). Logs every request.
     */
    static final class FaultProxy implements AutoCloseable {
        record Logged(long nanos, String request, String answer) {
        }

        final Fault fault;
        final int upstreamPort;
        final ServerSocket server;
        final List<Logged> log = new CopyOnWriteArrayList<>();
        final AtomicInteger served = new AtomicInteger();
        final Map<Socket, Boolean> sockets = new ConcurrentHashMap<>();
        volatile boolean closed;

        FaultProxy(Fault fault, int upstreamPort) throws IOException {
            this.fault = fault;
            this.upstreamPort = upstreamPort;
            this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            daemon("fault-proxy-" + fault, () -> {
                while (!closed) {
                    try {
                        Socket client = server.accept();
                        sockets.put(client, true);
                        daemon("fault-proxy-" + fault + "-conn", () -> serve(client));
                    } catch (IOException e) {
                        return; // closed
                    }
                }
            });
        }

        int port() {
            return server.getLocalPort();
        }

        /** Forgets what was logged, and arms the first-request 429 again. */
        void reset() {
            log.clear();
            served.set(0);
        }

        long count(String request) {
            return log.stream().filter(l -> l.request().startsWith(request)).count();
        }

        /** Time from the (first) 429 to the next request for the same thing. */
        long retryGapMillis() {
            Logged refused = log.stream().filter(l -> l.answer().equals("429")).findFirst().orElse(null);
            assertNotNull(refused, "no 429 was answered: " + log);
            for (Logged l : log) {
                if (l.nanos() > refused.nanos() && l.request().equals(refused.request())) {
                    return TimeUnit.NANOSECONDS.toMillis(l.nanos() - refused.nanos());
                }
            }
            throw new AssertionError("the request refused with 429 was never sent again: " + log);
        }

        private void serve(Socket client) {
            try (client) {
                InputStream in = new BufferedInputStream(client.getInputStream());
                OutputStream out = client.getOutputStream();
                while (!closed) {
                    Request request = Request.read(in);
                    if (request == null) {
                        return;
                    }
                    long now = System.nanoTime();
                    String line = request.method() + " " + request.target();
                    switch (fault) {
                        case FORWARD -> {
                            log.add(new Logged(now, line, "forwarded"));
                            forward(request, out);
                        }
                        case RATE_LIMIT_FIRST -> {
                            if (served.getAndIncrement() == 0) {
                                // Logged before it is sent: the retry cannot come sooner than 2 s after this.
                                log.add(new Logged(System.nanoTime(), line, "429"));
                                respond(out, request, 429, "Too Many Requests", "Retry-After: 2\r\n",
                                        "{\"errors\":[{\"code\":\"TOOMANYREQUESTS\",\"message\":\"fault injected: slow down\"}]}");
                            } else {
                                log.add(new Logged(now, line, "forwarded"));
                                forward(request, out);
                            }
                        }
                        case ERROR_500 -> {
                            log.add(new Logged(now, line, "500"));
                            respond(out, request, 500, "Internal Server Error", "",
                                    "{\"errors\":[{\"code\":\"UNKNOWN\",\"message\":\"fault injected\"}]}");
                        }
                        case RESET -> {
                            log.add(new Logged(now, line, "reset"));
                            client.setSoLinger(true, 0); // close() now sends RST
                            return;
                        }
                        case STALL -> {
                            log.add(new Logged(now, line, "stalled"));
                            while (in.read() >= 0) {
                                // hold the request until the client gives up (or the proxy closes)
                            }
                            return;
                        }
                    }
                }
            } catch (IOException e) {
                // client went away
            } finally {
                sockets.remove(client);
            }
        }

        private void forward(Request request, OutputStream out) throws IOException {
            try (Socket upstream = new Socket(InetAddress.getLoopbackAddress(), upstreamPort)) {
                upstream.setSoTimeout(30_000);
                StringBuilder head = new StringBuilder(request.method() + " " + request.target() + " HTTP/1.1\r\n");
                for (String h : request.headers()) {
                    String lower = h.toLowerCase(Locale.ROOT);
                    if (!lower.startsWith("connection:") && !lower.startsWith("keep-alive:")) {
                        head.append(h).append("\r\n");
                    }
                }
                head.append("Connection: close\r\n\r\n");
                OutputStream up = upstream.getOutputStream();
                up.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
                up.write(request.body());
                up.flush();
                byte[] reply = upstream.getInputStream().readAllBytes(); // upstream closes after its reply
                int end = indexOf(reply, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                if (end < 0) {
                    throw new IOException("upstream reply without a head");
                }
                StringBuilder relayed = new StringBuilder();
                for (String h : new String(reply, 0, end, StandardCharsets.ISO_8859_1).split("\r\n")) {
                    if (!h.toLowerCase(Locale.ROOT).startsWith("connection:")) {
                        relayed.append(h).append("\r\n");
                    }
                }
                relayed.append("\r\n");
                out.write(relayed.toString().getBytes(StandardCharsets.ISO_8859_1));
                out.write(reply, end + 4, reply.length - end - 4);
                out.flush();
            }
        }

        private static void respond(OutputStream out, Request request, int status, String reason, String extraHeaders, String body)
                throws IOException {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            String head = "HTTP/1.1 " + status + " " + reason + "\r\n" + extraHeaders
                    + "Content-Type: application/json\r\nDocker-Distribution-API-Version: registry/2.0\r\n"
                    + "Content-Length: " + bytes.length + "\r\n\r\n";
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            if (!request.method().equals("HEAD")) {
                out.write(bytes);
            }
            out.flush();
        }

        private static int indexOf(byte[] data, byte[] pattern) {
            outer:
            for (int i = 0; i <= data.length - pattern.length; i++) {
                for (int j = 0; j < pattern.length; j++) {
                    if (data[i + j] != pattern[j]) {
                        continue outer;
                    }
                }
                return i;
            }
            return -1;
        }

        private static void daemon(String name, Runnable task) {
            Thread t = new Thread(task, name);
            t.setDaemon(true);
            t.start();
        }

        @Override
        public void close() {
            closed = true;
            try {
                server.close();
            } catch (IOException ignored) {
                // closing anyway
            }
            sockets.keySet().forEach(s -> {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            });
        }
    }

    /** One request as read off a client connection: request line, header lines, and its body if it has one. */
    record Request(String method, String target, List<String> headers, byte[] body) {
        /** Reads the next request, or returns null at the end of the connection. */
        static Request read(InputStream in) throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int matched = 0;
            for (int b; matched < 4; ) {
                b = in.read();
                if (b < 0) {
                    return null;
                }
                head.write(b);
                matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3)) ? matched + 1
                        : b == '\r' ? 1 : 0;
            }
            String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
            String[] start = lines[0].split(" ");
            List<String> headers = new ArrayList<>();
            int length = 0;
            for (int i = 1; i < lines.length; i++) {
                if (lines[i].isEmpty()) {
                    continue;
                }
                headers.add(lines[i]);
                if (lines[i].toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                    length = Integer.parseInt(lines[i].substring("content-length:".length()).trim());
                }
            }
            return new Request(start[0], start[1], headers, in.readNBytes(length));
        }
    }
}
