package dev.docksmith.runtime.check;

import dev.docksmith.api.ImageRef;
import dev.docksmith.api.RegistryException;
import dev.docksmith.spi.RegistryClient;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RegistryAnswersTest {
    final AtomicInteger tagCalls = new AtomicInteger();
    final AtomicInteger digestCalls = new AtomicInteger();
    final CountDownLatch release = new CountDownLatch(1);
    volatile boolean fail;
    final MutableClock clock = new MutableClock();

    final RegistryClient client = new RegistryClient() {
        @Override
        public List<String> tags(ImageRef repository) {
            tagCalls.incrementAndGet();
            await();
            if (fail) {
                throw new RegistryException(503, "listing tags: 503");
            }
            return List.of("1.0", "2.0");
        }

        @Override
        public Optional<String> digest(ImageRef image) {
            digestCalls.incrementAndGet();
            return Optional.of("sha256:" + image.tag());
        }
    };

    final RegistryAnswers answers = new RegistryAnswers(i -> client, Executors.newCachedThreadPool(), 16, clock, Duration.ofMinutes(10));

    void await() {
        try {
            release.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void questionsInFlightShareOneRequest() {
        var a = answers.tags(ImageRef.parse("localhost:5000/x/app:1.0"));
        var b = answers.tags(ImageRef.parse("localhost:5000/x/app:2.0")); // same repository, other tag
        release.countDown();
        assertEquals(a.join(), b.join());
        assertEquals(1, tagCalls.get());
    }

    @Test
    void answersAreKeptUntilTheTtlOrAClear() {
        release.countDown();
        ImageRef ref = ImageRef.parse("localhost:5000/x/app:1.0");
        answers.digest(ref).join();
        answers.digest(ref).join();
        assertEquals(1, digestCalls.get());
        clock.now = clock.now.plus(Duration.ofMinutes(11));
        answers.digest(ref).join();
        assertEquals(2, digestCalls.get(), "expired after the TTL");
        assertNull(answers.lastCleared());
        answers.clear();
        assertNotNull(answers.lastCleared());
        answers.digest(ref).join();
        assertEquals(3, digestCalls.get(), "cleared");
        answers.digest(ref.withTag("2.0")).join();
        answers.forget(ref);
        answers.digest(ref.withTag("2.0")).join();
        assertEquals(5, digestCalls.get(), "forget drops every tag of the repository");
    }

    @Test
    void failuresAreNotRemembered() {
        fail = true;
        release.countDown();
        ImageRef ref = ImageRef.parse("localhost:5000/x/app:1.0");
        assertThrows(CompletionException.class, () -> answers.tags(ref).join());
        fail = false;
        assertEquals(List.of("1.0", "2.0"), answers.tags(ref).join());
        assertEquals(2, tagCalls.get());
    }

    @Test
    void aRegistryIsAskedAtMostItsBoundAtOnceAndTheRestWaitWithoutAThread() throws Exception {
        var pool = (java.util.concurrent.ThreadPoolExecutor) Executors.newCachedThreadPool();
        var bounded = new RegistryAnswers(i -> client, pool, 3, clock, Duration.ofMinutes(10));
        List<java.util.concurrent.CompletableFuture<List<String>>> asked = new java.util.ArrayList<>();
        for (int i = 0; i < 10; i++) {
            asked.add(bounded.tags(ImageRef.parse("localhost:5000/x/app" + i + ":1.0")));
        }
        Thread.sleep(200); // time enough for more to start, were they allowed to
        assertEquals(3, tagCalls.get(), "three in flight, seven waiting");
        assertEquals(3, pool.getPoolSize(), "the waiting ones hold no thread");

        // Another registry has its own bound: its answer does not wait behind the first one's.
        var other = bounded.digest(ImageRef.parse("other.example:5000/y/app:2.0"));
        assertEquals(Optional.of("sha256:2.0"), other.get(5, java.util.concurrent.TimeUnit.SECONDS));

        release.countDown();
        for (var a : asked) {
            assertEquals(List.of("1.0", "2.0"), a.get(5, java.util.concurrent.TimeUnit.SECONDS));
        }
        assertEquals(10, tagCalls.get());
        pool.shutdown();
    }

    static final class MutableClock extends Clock {
        volatile Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
