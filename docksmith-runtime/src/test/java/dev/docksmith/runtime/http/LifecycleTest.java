package dev.docksmith.runtime.http;

import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Graceful stop and the executor choice. */
class LifecycleTest {
    @Test
    void stopLetsRunningRequestsFinishAndRefusesNewOnes() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Router router = new Router().register(new TestRoutes())
                .get("/api/slow", r -> {
                    entered.countDown();
                    release.await(10, TimeUnit.SECONDS);
                    return "done";
                });
        HttpApi api = HttpApi.builder(router).build();
        int port = api.start(new InetSocketAddress("127.0.0.1", 0)).getPort();
        HttpClient client = HttpClient.newHttpClient();
        CompletableFuture<HttpResponse<String>> slow = client.sendAsync(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/slow")).build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(entered.await(10, TimeUnit.SECONDS));

        CompletableFuture<Void> stopping = CompletableFuture.runAsync(() -> api.stop(Duration.ofSeconds(10)));
        Await.until("stopping", api::isStopping);
        Resp refused = RawHttp.send(port, "GET /api/health HTTP/1.1\r\nHost: 127.0.0.1", null);
        assertEquals(500, refused.status());
        RoutingContract.assertErrorEnvelope(refused, "SERVICE_UNAVAILABLE");
        assertFalse(stopping.isDone(), "stop waits for the running request");

        release.countDown();
        assertEquals(200, slow.get(10, TimeUnit.SECONDS).statusCode());
        stopping.get(10, TimeUnit.SECONDS);
        assertThrows(java.io.IOException.class, () -> RawHttp.send(port, "GET /api/health HTTP/1.1\r\nHost: 127.0.0.1", null));
    }

    @Test
    void stopWithNothingRunningReturnsAtOnce() throws Exception {
        HttpApi api = HttpApi.builder(new Router().register(new TestRoutes())).build();
        api.start(new InetSocketAddress("127.0.0.1", 0));
        long started = System.nanoTime();
        api.stop(Duration.ofSeconds(30));
        assertTrue(Duration.ofNanos(System.nanoTime() - started).compareTo(Duration.ofSeconds(20)) < 0);
        assertEquals(-1, api.port());
    }

    @Test
    void virtualThreadsExactlyWhenTheJvmHasThem() {
        boolean expected = Runtime.version().feature() >= 21;
        var executor = ServerThreads.virtualThreads();
        assertEquals(expected, executor.isPresent());
        executor.ifPresent(java.util.concurrent.ExecutorService::shutdown);
    }

    @Test
    void aPolicyOnPortZeroLearnsTheBoundPort() throws Exception {
        HttpApi api = HttpApi.builder(new Router().register(new TestRoutes())).build();
        int port = api.start(new InetSocketAddress("127.0.0.1", 0)).getPort();
        try {
            assertEquals(port, api.security().port());
            assertEquals(port, api.port());
        } finally {
            api.close();
        }
    }
}
