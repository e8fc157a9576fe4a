package dev.docksmith.dist;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;

import static dev.docksmith.dist.EndToEnd.JSON;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/** A client of {@code /api/events}: read on a thread of its own, each {@code data:} line parsed into a queue. */
final class EventFeed implements AutoCloseable {
    /** Added to each event: {@link System#nanoTime()} when it was read. */
    static final String RECEIVED = "_received_ns";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private final BlockingQueue<JsonNode> events = new LinkedBlockingQueue<>();
    private final InputStream body;

    EventFeed(int port) throws IOException, InterruptedException {
        HttpResponse<InputStream> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/events"))
                .GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, r.statusCode());
        body = r.body();
        Thread t = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    if (line.startsWith("data:")) {
                        JsonNode event = JSON.readTree(line.substring(5).trim());
                        if (event instanceof ObjectNode o) {
                            o.put(RECEIVED, System.nanoTime()); // when it arrived, for timings
                        }
                        events.add(event);
                    }
                }
            } catch (IOException closed) {
                // the server went away or close() was called
            }
        }, "event-feed");
        t.setDaemon(true);
        t.start();
    }

    /** Takes events until one matches and returns it; fails with {@code why} after {@code seconds}. */
    JsonNode await(Predicate<JsonNode> match, int seconds, Supplier<String> why) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            long left = deadline - System.nanoTime();
            JsonNode e = left > 0 ? events.poll(left, TimeUnit.NANOSECONDS) : null;
            if (e == null) {
                fail(why.get());
            }
            if (match.test(e)) {
                return e;
            }
        }
    }

    /** Hands every event already received to {@code each}. */
    void drain(Consumer<JsonNode> each) {
        for (JsonNode e; (e = events.poll()) != null; ) {
            each.accept(e);
        }
    }

    @Override
    public void close() {
        try {
            body.close();
        } catch (IOException ignored) {
            // already closed
        }
    }
}
