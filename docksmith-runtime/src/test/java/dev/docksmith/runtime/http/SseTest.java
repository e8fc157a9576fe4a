package dev.docksmith.runtime.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.docksmith.api.ConflictException;
import dev.docksmith.api.Event;
import dev.docksmith.runtime.events.EventBus;
import dev.docksmith.runtime.events.EventQueue;
import dev.docksmith.runtime.events.Subscription;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Server-sent events over a real loopback socket. */
@Timeout(120)
class SseTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final EventBus bus = new EventBus();
    private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();
    private final List<SseClient> clients = new ArrayList<>();
    private HttpApi api;
    private int port;

    private void start(HttpApi.Builder builder) throws IOException {
        api = builder.build();
        port = api.start(new InetSocketAddress("127.0.0.1", 0)).getPort();
    }

    private HttpApi.Builder builder() {
        Router router = new Router().register(new TestRoutes()).register(r -> {
            r.get("/api/events", request -> {
                Subscription subscription = bus.subscribe(request.queryInt("capacity", EventBus.DEFAULT_CAPACITY), null);
                subscriptions.add(subscription);
                return Reply.sse(SseSource.of(subscription));
            });
            r.post("/api/restart/start/{name}", request -> {
                String name = request.param("name");
                int steps = request.queryInt("steps", 3);
                boolean fail = request.queryBool("fail", false);
                return Reply.sse(SseSource.of(sink -> {
                    for (int i = 1; i <= steps; i++) {
                        sink.publish(Event.of("restart.progress", ordered("container", name, "step", i)));
                    }
                    if (fail) {
                        throw new ConflictException("a restart of " + name + " is already running");
                    }
                }));
            });
        });
        return HttpApi.builder(router);
    }

    private SseClient client(String path) throws IOException {
        SseClient client = SseClient.open(port, path);
        clients.add(client);
        return client;
    }

    @AfterEach
    void stop() throws IOException {
        for (SseClient client : clients) {
            client.close();
        }
        if (api != null) {
            api.stop(Duration.ofSeconds(2));
        }
        bus.close();
    }

    private static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    @Test
    void eventsArriveInTheSeedFormat() throws Exception {
        start(builder());
        SseClient client = client("/api/events");
        assertEquals(200, client.head().status());
        assertEquals("text/event-stream; charset=utf-8", client.head().header("Content-Type").orElseThrow());
        assertEquals("no-cache", client.head().header("Cache-Control").orElseThrow());
        assertTrue(client.head().header("X-Request-Id").isPresent());
        Await.until("subscribed", () -> bus.subscriberCount() == 1);

        bus.publish(Event.of("update.progress", ordered("container", "nginx", "stage", "pulling_image", "progress", 50)));
        assertEquals("data: {\"type\":\"update.progress\",\"payload\":{\"container\":\"nginx\",\"stage\":\"pulling_image\",\"progress\":50}}",
                client.nextLine(WAIT));
        bus.publish(Event.of("container.stopped", Map.of("container", "redis")));
        JsonNode second = client.nextEvent(WAIT);
        assertEquals("container.stopped", second.path("type").asText());
        assertEquals(2, second.size(), "type and payload only");
    }

    @Test
    void idleStreamsGetKeepAliveComments() throws Exception {
        start(builder().keepAliveInterval(Duration.ofMillis(50)));
        SseClient client = client("/api/events");
        assertEquals(": keep-alive", client.nextLine(WAIT));
        assertEquals(": keep-alive", client.nextLine(WAIT));
    }

    @Test
    void aSlowClientDoesNotDelayAFastOneAndIsToldWhatItLost() throws Exception {
        start(builder());
        // The slow client never reads until told to: the server's writes to it block once the socket buffers are full.
        SseClient slow = SseClient.open(port, "/api/events?capacity=16", false, 4096);
        clients.add(slow);
        Await.until("slow subscribed", () -> bus.subscriberCount() == 1);
        SseClient fast = client("/api/events?capacity=10000");
        Await.until("fast subscribed", () -> bus.subscriberCount() == 2);

        int total = 4000;
        String pad = "x".repeat(2000);
        assertTimeoutPreemptively(WAIT, () -> {
            for (int i = 0; i < total; i++) {
                bus.publish(Event.of("check.progress", ordered("i", i, "pad", pad)));
            }
        }, "publishing must never wait for a subscriber");

        for (int i = 0; i < total; i++) {
            JsonNode event = fast.nextEvent(WAIT);
            assertNotNull(event, "fast client stalled at event " + i);
            assertEquals("check.progress", event.path("type").asText());
            assertEquals(i, event.at("/payload/i").asInt());
        }
        assertTrue(subscriptions.get(0).droppedTotal() > 0, "the slow client is still stuck and losing events");
        assertEquals(0, subscriptions.get(1).droppedTotal());

        slow.startReading();
        long received = 0;
        long dropped = 0;
        int notices = 0;
        while (received + dropped < total) {
            JsonNode event = slow.nextEvent(WAIT);
            assertNotNull(event, "slow client: received " + received + ", told of " + dropped + " dropped");
            if (event.path("type").asText().equals(EventQueue.DROPPED_TYPE)) {
                dropped += event.at("/payload/dropped").asLong();
                notices++;
            } else {
                received++;
            }
        }
        assertTrue(notices >= 1);
        assertEquals(total, received + dropped, "every event is either delivered or counted as dropped");
        assertEquals(subscriptions.get(0).droppedTotal(), dropped);
    }

    /**
     * Load-test regression: a check of 1,000 containers publishes about 1,000 events at once. A
     * subscriber with the default queue gets every one of them, in order, written many to a flush
     * (so frames cross chunk boundaries), and none is dropped.
     */
    @Test
    void aBurstOfAThousandEventsReachesADefaultSubscriberWhole() throws Exception {
        start(builder());
        SseClient client = client("/api/events");
        Await.until("subscribed", () -> bus.subscriberCount() == 1);
        int total = 1000;
        for (int i = 0; i < total; i++) {
            bus.publish(Event.of("check.progress", ordered("stage", "checked", "checked", i, "container", "web-" + i)));
        }
        for (int i = 0; i < total; i++) {
            JsonNode event = client.nextEvent(WAIT);
            assertNotNull(event, "stalled at event " + i);
            assertEquals("check.progress", event.path("type").asText(), "event " + i);
            assertEquals(i, event.at("/payload/checked").asInt());
        }
        assertEquals(0, subscriptions.get(0).droppedTotal());
    }

    @Test
    void anEventSentToManyStreamsIsSerializedOnce() {
        SseStreams.FrameCache cache = new SseStreams.FrameCache(8);
        Event event = Event.of("check.progress", ordered("stage", "complete"));
        byte[] first = cache.frame(event);
        assertTrue(first == cache.frame(event), "the same event's frame comes from the cache");
        assertEquals(new String(SseStreams.frame(event), java.nio.charset.StandardCharsets.UTF_8),
                new String(first, java.nio.charset.StandardCharsets.UTF_8));
        Event equal = Event.of("check.progress", ordered("stage", "complete"));
        assertFalse(first == cache.frame(equal), "keyed by identity: an equal event is serialized on its own");
    }

    @Test
    void concurrentSubscribersEachGetEveryEventInOrder() throws Exception {
        start(builder());
        int subscribers = 20;
        int publishers = 4;
        int perPublisher = 100;
        List<SseClient> readers = new ArrayList<>();
        for (int i = 0; i < subscribers; i++) {
            readers.add(client("/api/events?capacity=1000"));
        }
        Await.until("all subscribed", () -> bus.subscriberCount() == subscribers);
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<Void>> running = new ArrayList<>();
        for (int p = 0; p < publishers; p++) {
            int publisher = p;
            running.add(CompletableFuture.runAsync(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                for (int i = 0; i < perPublisher; i++) {
                    bus.publish(Event.of("check.progress", ordered("publisher", publisher, "i", i)));
                }
            }));
        }
        go.countDown();
        CompletableFuture.allOf(running.toArray(new CompletableFuture[0])).get();
        for (SseClient reader : readers) {
            int[] next = new int[publishers];
            for (int n = 0; n < publishers * perPublisher; n++) {
                JsonNode event = reader.nextEvent(WAIT);
                assertNotNull(event);
                int publisher = event.at("/payload/publisher").asInt();
                assertEquals(next[publisher]++, event.at("/payload/i").asInt(), "order per publisher");
            }
        }
    }

    @Test
    void aFiniteStreamEndsWhenTheProducerIsDone() throws Exception {
        start(builder());
        SseClient client = SseClient.open(port, "POST", "/api/restart/start/nginx?steps=3", true, 0,
                "Content-Length: 0");
        clients.add(client);
        for (int i = 1; i <= 3; i++) {
            JsonNode event = client.nextEvent(WAIT);
            assertEquals("restart.progress", event.path("type").asText());
            assertEquals("nginx", event.at("/payload/container").asText());
            assertEquals(i, event.at("/payload/step").asInt());
        }
        assertNull(client.nextEvent(WAIT));
        assertTrue(client.ended());
    }

    @Test
    void aFailingProducerEndsTheStreamWithAnErrorEvent() throws Exception {
        start(builder());
        SseClient client = SseClient.open(port, "POST", "/api/restart/start/nginx?steps=1&fail=true", true, 0, "Content-Length: 0");
        clients.add(client);
        assertEquals("restart.progress", client.nextEvent(WAIT).path("type").asText());
        JsonNode error = client.nextEvent(WAIT);
        assertEquals("error", error.path("type").asText());
        assertEquals("CONFLICT", error.at("/payload/code").asText());
        assertNull(client.nextEvent(WAIT));
    }

    @Test
    void aClientThatLeavesIsDetectedAndUnsubscribed() throws Exception {
        start(builder().keepAliveInterval(Duration.ofMillis(50)));
        SseClient client = client("/api/events");
        Await.until("subscribed", () -> bus.subscriberCount() == 1);
        client.close();
        Await.until("unsubscribed after the client left", () -> bus.subscriberCount() == 0 && api.activeEventStreams() == 0);
        assertTrue(subscriptions.get(0).isClosed());
    }

    @Test
    void streamsBeyondTheCapAreRateLimited() throws Exception {
        start(builder().maxEventStreams(2).keepAliveInterval(Duration.ofMillis(50))
                .security(new SecurityPolicy(null, "127.0.0.1", 0, java.util.List.of("https://dash.example.com"), java.util.List.of())));
        client("/api/events");
        client("/api/events");
        Await.until("two streams", () -> api.activeEventStreams() == 2);
        Resp third = RawHttp.send(port, "GET /api/events HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: https://dash.example.com", null);
        assertEquals(429, third.status());
        RoutingContract.assertErrorEnvelope(third, "RATE_LIMITED");
        assertEquals("https://dash.example.com", third.header("Access-Control-Allow-Origin").orElseThrow(),
                "a dashboard must be able to read why its stream was refused");
        Await.until("the refused subscription is released", () -> bus.subscriberCount() == 2);
        assertEquals(200, RawHttp.send(port, "GET /api/health HTTP/1.1\r\nHost: 127.0.0.1", null).status());

        clients.remove(0).close();
        Await.until("a slot is free again", () -> api.activeEventStreams() == 1);
    }

    @Test
    void twoHundredStreamsDoNotStarveNormalRequests() throws Exception {
        start(builder().workerThreads(4));
        int streams = 200;
        for (int i = 0; i < streams; i++) {
            client("/api/events");
        }
        Await.until("all streams open", () -> api.activeEventStreams() == streams);

        HttpClient http = HttpClient.newHttpClient();
        List<CompletableFuture<HttpResponse<String>>> requests = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            requests.add(http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/containers/c" + i + "/logs"))
                    .timeout(WAIT).build(), HttpResponse.BodyHandlers.ofString()));
        }
        for (CompletableFuture<HttpResponse<String>> request : requests) {
            assertEquals(200, request.get().statusCode());
        }

        bus.publish(Event.of("container.updated", Map.of("container", "nginx")));
        for (SseClient client : clients) {
            assertEquals("container.updated", client.nextEvent(WAIT).path("type").asText());
        }
    }

    @Test
    void stopEndsOpenStreamsPromptly() throws Exception {
        start(builder());
        SseClient client = client("/api/events");
        Await.until("subscribed", () -> bus.subscriberCount() == 1);
        long started = System.nanoTime();
        api.stop(Duration.ofSeconds(10));
        api = null;
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertNull(client.nextEvent(WAIT));
        assertTrue(client.ended());
        assertEquals(0, bus.subscriberCount());
        assertTrue(took.compareTo(Duration.ofSeconds(8)) < 0, "stop waited for the open stream: " + took);
    }

    @Test
    void headOnAStreamRouteOpensNoStream() throws Exception {
        start(builder());
        Resp head = RawHttp.send(port, "HEAD /api/events HTTP/1.1\r\nHost: 127.0.0.1", null);
        assertEquals(200, head.status());
        Await.until("the subscription was released", () -> bus.subscriberCount() == 0);
        assertFalse(api.activeEventStreams() > 0);
    }
}
