package dev.docksmith.runtime.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.docksmith.runtime.docker.DockerClient;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The engine's container and image lists, kept between checks. Listing 100 containers costs the
 * engine tens of milliseconds, more than the rest of a check; the engine's event stream says when
 * anything changed, so the lists are reused until an event (or {@link #MAX_AGE}) says otherwise.
 * While the event stream is down nothing is reused: without events there is no way to know.
 */
public final class EngineInventory {
    /** Even with a healthy event stream, lists are never older than this. */
    static final Duration MAX_AGE = Duration.ofSeconds(30);

    private final DockerClient docker;
    private final Executor executor;
    private final Clock clock;
    private final AtomicLong generation = new AtomicLong();
    private volatile boolean eventsFlowing;
    private volatile Snapshot cached;

    /** Both lists as the engine gave them, and when. */
    public record Snapshot(JsonNode containers, JsonNode images, Instant takenAt, long generation) {
    }

    public EngineInventory(DockerClient docker, Executor executor, Clock clock) {
        this.docker = docker;
        this.executor = executor;
        this.clock = clock;
    }

    /** Current lists: the kept ones when nothing changed since, else fresh ones (two engine calls at once). */
    public Snapshot snapshot() {
        Snapshot s = cached;
        if (s != null && eventsFlowing && s.generation() == generation.get()
                && clock.instant().isBefore(s.takenAt().plus(MAX_AGE))) {
            return s;
        }
        long before = generation.get();
        CompletableFuture<JsonNode> images = CompletableFuture.supplyAsync(docker::listImages, executor);
        JsonNode containers = docker.listContainers(true);
        JsonNode imageList;
        try {
            imageList = images.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
        Snapshot fresh = new Snapshot(containers, imageList, clock.instant(), before);
        cached = fresh;
        return fresh;
    }

    /** Something changed (a container or image event): the next snapshot lists again. */
    public void changed() {
        generation.incrementAndGet();
    }

    /** Whether engine events are arriving; when not, every snapshot lists again. */
    public void eventsFlowing(boolean flowing) {
        eventsFlowing = flowing;
        generation.incrementAndGet();
    }
}
