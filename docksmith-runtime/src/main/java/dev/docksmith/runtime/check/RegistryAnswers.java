package dev.docksmith.runtime.check;

import dev.docksmith.api.ImageRef;
import dev.docksmith.runtime.threads.BoundedExecutor;
import dev.docksmith.spi.RegistryClient;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Registry answers (tag lists, digests), shared and remembered. Identical questions asked while one
 * is in flight share its answer, so a check of 100 containers on 20 repositories asks 20 tag lists,
 * not 100. Answers are kept for the cache TTL; failures are not kept, so the next check asks again.
 * At most {@code perRegistry} questions to one registry are asked at once; the rest wait without a
 * thread, and each registry has its own bound, so a slow one never holds up the others.
 */
public final class RegistryAnswers {
    private final Function<ImageRef, RegistryClient> clients;
    private final Executor executor;
    private final int perRegistry;
    private final ConcurrentMap<String, Executor> registries = new ConcurrentHashMap<>();
    private final Clock clock;
    private final Duration ttl;
    private final ConcurrentMap<String, Entry<List<String>>> tags = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Entry<Optional<String>>> digests = new ConcurrentHashMap<>();
    private volatile Instant lastCleared;

    private record Entry<T>(CompletableFuture<T> answer, Instant expires) {
    }

    public RegistryAnswers(Function<ImageRef, RegistryClient> clients, Executor executor, int perRegistry,
                           Clock clock, Duration ttl) {
        this.clients = clients;
        this.executor = executor;
        this.perRegistry = perRegistry;
        this.clock = clock;
        this.ttl = ttl;
        this.lastCleared = null;
    }

    /** Every tag of the image's repository. */
    public CompletableFuture<List<String>> tags(ImageRef image) {
        return ask(tags, image.repositoryName(), image, () -> clients.apply(image).tags(image));
    }

    /** The registry digest of the image's tag; empty when the tag does not exist. */
    public CompletableFuture<Optional<String>> digest(ImageRef image) {
        return ask(digests, image.repositoryName() + ":" + image.tag(), image, () -> clients.apply(image).digest(image));
    }

    /** Forgets every answer (connections and tokens live in the clients and stay). */
    public void clear() {
        tags.clear();
        digests.clear();
        lastCleared = clock.instant();
    }

    /** Forgets the answers about one repository, for a single-container recheck. */
    public void forget(ImageRef image) {
        tags.remove(image.repositoryName());
        digests.keySet().removeIf(k -> k.startsWith(image.repositoryName() + ":"));
    }

    /** When {@link #clear()} last ran, or null. */
    public Instant lastCleared() {
        return lastCleared;
    }

    private <T> CompletableFuture<T> ask(ConcurrentMap<String, Entry<T>> cache, String key, ImageRef image, Supplier<T> call) {
        Instant now = clock.instant();
        Entry<T> entry = cache.compute(key, (k, old) -> {
            if (old != null && (!old.answer().isDone() || (!old.answer().isCompletedExceptionally() && now.isBefore(old.expires())))) {
                return old;
            }
            Executor registry = registries.computeIfAbsent(image.registry(), r -> new BoundedExecutor(executor, perRegistry));
            return new Entry<>(CompletableFuture.supplyAsync(call, registry), now.plus(ttl));
        });
        // A failure is shared by everyone who asked during the same flight, then forgotten.
        entry.answer().whenComplete((value, failure) -> {
            if (failure != null) {
                cache.remove(key, entry);
            }
        });
        return entry.answer();
    }
}
