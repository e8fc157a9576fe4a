package dev.docksmith.registry.v2;

import dev.docksmith.api.ImageRef;
import dev.docksmith.api.NotFoundException;
import dev.docksmith.spi.RegistryClient;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Against the real local registry (Debian's docker-registry on 127.0.0.1:5000, filled by
 * {@code scripts/test-env.sh up} with {@code docksmith/demo} tags 1.0.0, 1.1.0, 2.0.0, 2.1.0, latest).
 */
class V2RegistryIT {
    /** Overridable with {@code -Ddocksmith.testRegistry=host:port}. */
    private static final String REGISTRY = System.getProperty("docksmith.testRegistry", "127.0.0.1:5000");
    private static final ImageRef DEMO = ImageRef.parse(REGISTRY + "/docksmith/demo:1.0.0");

    @BeforeAll
    static void registryAnswers() {
        String problem;
        try {
            HttpResponse<Void> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://" + REGISTRY + "/v2/"))
                    .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.discarding());
            if (r.statusCode() == 200) {
                return;
            }
            problem = "answered " + r.statusCode() + " on /v2/";
        } catch (Exception e) {
            problem = "does not answer (" + e + ")";
        }
        String message = "the local registry at http://" + REGISTRY + " " + problem + "; start it with scripts/test-env.sh up";
        if (Boolean.getBoolean("docksmith.requireDocker")) {
            fail("V2RegistryIT needs a registry (docksmith.requireDocker=true): " + message);
        }
        message = "\n*** V2RegistryIT SKIPPED: " + message + " ***\n";
        System.err.println(message);
        Assumptions.abort(message);
    }

    private static RegistryClient client() {
        return new V2RegistryPlugin().client(DEMO);
    }

    @Test
    void listsTheDemoTags() {
        List<String> tags = client().tags(DEMO);
        assertTrue(tags.containsAll(List.of("1.0.0", "1.1.0", "2.0.0", "2.1.0", "latest")), tags.toString());
    }

    @Test
    void digestIsTheOneTheRegistryReportsForADockerV2Manifest() throws Exception {
        HttpResponse<Void> head = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://" + REGISTRY + "/v2/docksmith/demo/manifests/1.0.0"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody())
                .header("Accept", "application/vnd.docker.distribution.manifest.v2+json").build(), HttpResponse.BodyHandlers.discarding());
        String expected = head.headers().firstValue("Docker-Content-Digest").orElseThrow();

        assertEquals(Optional.of(expected), client().digest(DEMO));
    }

    @Test
    void missingTagAndUnknownRepository() {
        assertEquals(Optional.empty(), client().digest(DEMO.withTag("9.9.9-nope")));
        assertThrows(NotFoundException.class, () -> client().tags(ImageRef.parse(REGISTRY + "/docksmith/no-such-repo:1")));
    }

    /**
     * The shape of a check: ~20 tag lists and ~40 digests at once from many threads (only docksmith/demo
     * is sure to exist). Prints the times; the bound is loose, a sanity check on a busy machine.
     */
    @Test
    void aCheckWorthOfCallsIsFast() throws Exception {
        RegistryClient client = client();
        List<String> demoTags = client.tags(DEMO);
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            long[] rounds = new long[30];
            for (int round = 0; round < rounds.length; round++) {
                long start = System.nanoTime();
                List<Future<?>> calls = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    calls.add(pool.submit(() -> client.tags(DEMO)));
                }
                for (int i = 0; i < 40; i++) {
                    ImageRef image = DEMO.withTag(demoTags.get(i % demoTags.size()));
                    calls.add(pool.submit(() -> client.digest(image)));
                }
                for (Future<?> call : calls) {
                    call.get();
                }
                rounds[round] = (System.nanoTime() - start) / 1000;
            }
            long[] sorted = rounds.clone();
            Arrays.sort(sorted);
            System.err.printf("V2RegistryIT: 20 tag lists + 40 digests against %s: best %d us, median %d us, worst %d us%n",
                    REGISTRY, sorted[0], sorted[sorted.length / 2], sorted[sorted.length - 1]);
            assertTrue(sorted[sorted.length / 2] < 5_000_000, "a check's worth of calls took a median of "
                    + sorted[sorted.length / 2] + " us");
        } finally {
            pool.shutdownNow();
        }
    }
}
