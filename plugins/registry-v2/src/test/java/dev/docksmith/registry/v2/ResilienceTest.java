package dev.docksmith.registry.v2;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.docksmith.api.ImageRef;
import dev.docksmith.api.RegistryException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResilienceTest {
    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().containerThreads(40)).build();

    @TempDir
    Path dockerConfig;

    private ImageRef image(String rest) {
        return ImageRef.parse("localhost:" + wm.getPort() + "/" + rest);
    }

    private V2RegistryClient client(RegistryConfig config) {
        return TestSupport.client(wm.baseUrl(), config, CredentialStore.NONE);
    }

    private void failsOnceThen(int status, String retryAfter) {
        var first = aResponse().withStatus(status).withBody("{\"errors\":[{\"code\":\"TOOMANYREQUESTS\",\"message\":\"slow down\"}]}");
        if (retryAfter != null) {
            first = first.withHeader("Retry-After", retryAfter);
        }
        wm.stubFor(get(urlPathEqualTo("/v2/team/app/tags/list")).inScenario("once").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(first).willSetStateTo("ok"));
        wm.stubFor(get(urlPathEqualTo("/v2/team/app/tags/list")).inScenario("once").whenScenarioStateIs("ok")
                .willReturn(okJson("{\"tags\":[\"1\"]}")));
    }

    @Test
    void tooManyRequestsWaitsForRetryAfterSeconds() {
        failsOnceThen(429, "1");
        V2RegistryClient client = client(TestSupport.config(dockerConfig));

        long start = System.nanoTime();
        assertEquals(List.of("1"), client.tags(image("team/app:1")));
        long waitedMillis = (System.nanoTime() - start) / 1_000_000;

        assertTrue(waitedMillis >= 950, "waited only " + waitedMillis + " ms");
        assertTrue(waitedMillis < 3000, "waited " + waitedMillis + " ms");
        wm.verify(2, getRequestedFor(urlPathEqualTo("/v2/team/app/tags/list")));
    }

    @Test
    void tooManyRequestsWaitsForRetryAfterDate() {
        TestSupport.MutableClock clock = new TestSupport.MutableClock();
        String inOneSecond = DateTimeFormatter.RFC_1123_DATE_TIME.format(clock.instant().plusSeconds(1).atZone(ZoneOffset.UTC));
        failsOnceThen(429, inOneSecond);
        V2RegistryClient client = client(TestSupport.config(dockerConfig).withClock(clock));

        long start = System.nanoTime();
        assertEquals(List.of("1"), client.tags(image("team/app:1")));
        long waitedMillis = (System.nanoTime() - start) / 1_000_000;

        assertTrue(waitedMillis >= 950 && waitedMillis < 3000, "waited " + waitedMillis + " ms");
    }

    @Test
    void retryAfterBeyondTheCapFailsAtOnceSayingHowLong() {
        failsOnceThen(429, "3600");
        V2RegistryClient client = client(TestSupport.config(dockerConfig));

        long start = System.nanoTime();
        RegistryException e = assertThrows(RegistryException.class, () -> client.tags(image("team/app:1")));
        long tookMillis = (System.nanoTime() - start) / 1_000_000;

        assertEquals(429, e.status());
        assertEquals("listing tags of localhost:" + wm.getPort() + "/team/app: 429 TOOMANYREQUESTS slow down"
                + " (the registry asks to wait 3600 s)", e.getMessage());
        assertTrue(tookMillis < 1000, "took " + tookMillis + " ms");
    }

    @Test
    void serverErrorIsRetriedWithBackoff() {
        failsOnceThen(503, null);
        V2RegistryClient client = client(TestSupport.config(dockerConfig));

        assertEquals(List.of("1"), client.tags(image("team/app:1")));
        wm.verify(2, getRequestedFor(urlPathEqualTo("/v2/team/app/tags/list")));
    }

    @Test
    void persistentServerErrorFailsAfterTheAttempts() {
        wm.stubFor(get(urlPathEqualTo("/v2/team/app/tags/list")).willReturn(aResponse().withStatus(502).withBody("bad gateway")));
        V2RegistryClient client = client(TestSupport.config(dockerConfig));

        RegistryException e = assertThrows(RegistryException.class, () -> client.tags(image("team/app:1")));
        assertEquals(502, e.status());
        assertEquals("listing tags of localhost:" + wm.getPort() + "/team/app: 502 bad gateway", e.getMessage());
        wm.verify(3, getRequestedFor(urlPathEqualTo("/v2/team/app/tags/list")));
    }

    @Test
    void deadRegistryFailsQuicklyWithStatusZeroAndOnlyItsOwnRequests() throws Exception {
        int port = TestSupport.closedPort();
        V2RegistryPlugin plugin = new V2RegistryPlugin(TestSupport.config(dockerConfig));
        ImageRef dead = ImageRef.parse("127.0.0.1:" + port + "/team/app:1");

        long start = System.nanoTime();
        RegistryException e = assertThrows(RegistryException.class, () -> plugin.client(dead).tags(dead));
        long tookMillis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(0, e.status());
        assertTrue(e.getMessage().startsWith("listing tags of 127.0.0.1:" + port + "/team/app: registry 127.0.0.1:" + port
                + " unreachable ("), e.getMessage());
        assertTrue(tookMillis < 2000, "took " + tookMillis + " ms");

        // Later requests to the dead registry fail at once; other registries are not affected.
        start = System.nanoTime();
        RegistryException again = assertThrows(RegistryException.class, () -> plugin.client(dead).digest(dead));
        assertEquals(0, again.status());
        assertTrue(again.getMessage().startsWith("fetching the digest of 127.0.0.1:" + port + "/team/app:1: registry"),
                again.getMessage());
        assertTrue((System.nanoTime() - start) / 1_000_000 < 100);

        wm.stubFor(get(urlPathEqualTo("/v2/team/app/tags/list")).willReturn(okJson("{\"tags\":[\"1\"]}")));
        assertEquals(List.of("1"), plugin.client(image("team/app:1")).tags(image("team/app:1")));
    }

    @Test
    void slowRegistryTimesOutAsUnreachable() {
        wm.stubFor(get(urlPathEqualTo("/v2/team/app/tags/list")).willReturn(okJson("{\"tags\":[]}").withFixedDelay(3000)));
        V2RegistryClient client = client(TestSupport.config(dockerConfig).withTimeout(Duration.ofMillis(200))
                .withRetries(2, Duration.ofMillis(10), Duration.ofSeconds(5)));

        long start = System.nanoTime();
        RegistryException e = assertThrows(RegistryException.class, () -> client.tags(image("team/app:1")));
        long tookMillis = (System.nanoTime() - start) / 1_000_000;

        assertEquals(0, e.status());
        assertTrue(e.getMessage().contains("unreachable (timed out"), e.getMessage());
        assertTrue(tookMillis < 2000, "took " + tookMillis + " ms");
        wm.verify(2, getRequestedFor(urlPathEqualTo("/v2/team/app/tags/list")));
    }

    @Test
    void concurrencyPerRegistryIsBounded() throws Exception {
        wm.stubFor(get(urlPathMatching("/v2/.*/tags/list")).willReturn(okJson("{\"tags\":[\"1\"]}").withFixedDelay(200)));

        assertTrue(timeSixParallelCalls(2) >= 580, "2 at a time must take 3 rounds");
        assertTrue(timeSixParallelCalls(6) < 580, "6 at a time must take about 1 round");
    }

    private long timeSixParallelCalls(int concurrency) throws Exception {
        V2RegistryClient client = client(TestSupport.config(dockerConfig).withConcurrency(concurrency));
        client.tags(image("team/warm:1")); // opens a connection, so only the bound is measured
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            long start = System.nanoTime();
            List<Future<List<String>>> calls = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                int n = i;
                calls.add(pool.submit(() -> client.tags(image("team/app" + n + ":1"))));
            }
            for (Future<List<String>> call : calls) {
                assertEquals(List.of("1"), call.get());
            }
            assertEquals(concurrency, client.availablePermits());
            return (System.nanoTime() - start) / 1_000_000;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void endpointNeedsSchemeAndHost() {
        assertThrows(IllegalArgumentException.class, () -> new RegistryEndpoint("x", URI.create("/relative")));
    }
}
