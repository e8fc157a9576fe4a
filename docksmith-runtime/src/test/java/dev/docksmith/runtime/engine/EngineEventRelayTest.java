package dev.docksmith.runtime.engine;

import dev.docksmith.api.Event;
import dev.docksmith.runtime.docker.DockerClient;
import dev.docksmith.runtime.docker.transport.DockerRequest;
import dev.docksmith.runtime.docker.transport.DockerResponse;
import dev.docksmith.runtime.docker.transport.DockerTransport;
import dev.docksmith.runtime.json.Json;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EngineEventRelayTest {

    @Test
    void containerActionsBecomeContractEvents() {
        assertEquals("container.stopped", EngineEventRelay.eventType("stop"));
        assertEquals("container.removed", EngineEventRelay.eventType("destroy"));
        assertEquals("container.started", EngineEventRelay.eventType("start"));
        assertEquals("container.health", EngineEventRelay.eventType("health_status: healthy"));
        assertNull(EngineEventRelay.eventType("exec_create: sh"), "exec noise is not relayed");
    }

    /**
     * Regression: retries backed off to 30 s, so after a dockerd restart of 20 s the relay stayed without
     * events for 13 s more while the API already answered. Retries now back off to at most 2 s, and the
     * outage is reported once, not on every attempt.
     */
    @Test
    void anEngineThatStaysAwayIsRetriedAtMostTwoSecondsApart() {
        List<Event> published = new ArrayList<>();
        DockerTransport away = new DockerTransport() {
            @Override
            public DockerResponse execute(DockerRequest request) throws IOException {
                throw new IOException("no such socket file");
            }

            @Override
            public String endpoint() {
                return "unix:///tmp/nothing-here.sock";
            }

            @Override
            public void close() {
            }
        };
        RecordingScheduler scheduler = new RecordingScheduler();
        try (DockerClient docker = DockerClient.create(away, Duration.ofSeconds(1))) {
            EngineEventRelay relay = new EngineEventRelay(docker, published::add, scheduler, null);
            relay.start();
            List<Long> delays = new ArrayList<>();
            for (int attempt = 0; attempt < 12; attempt++) {
                RecordingScheduler.Task next = scheduler.tasks.remove(0);
                delays.add(next.delayMs());
                next.task().run(); // the attempt: fails, and schedules the next one
            }
            assertEquals(0L, delays.get(0), "the first attempt is at once");
            assertEquals(List.of(500L, 1000L, 2000L, 2000L), delays.subList(1, 5), "a backoff, capped");
            assertEquals(EngineEventRelay.MAX_BACKOFF_MS, delays.stream().mapToLong(Long::longValue).max().orElseThrow());
            assertEquals(1, published.stream().filter(e -> e.type().equals("docker.unreachable")).count(), published.toString());
            relay.close();
        } finally {
            scheduler.shutdownNow();
        }
    }

    /** Keeps what it is asked to run, and when, for the test to run by hand. */
    static final class RecordingScheduler extends ScheduledThreadPoolExecutor {
        record Task(Runnable task, long delayMs) {
        }

        final List<Task> tasks = new ArrayList<>();

        RecordingScheduler() {
            super(1);
        }

        @Override
        public void execute(Runnable command) {
            tasks.add(new Task(command, 0));
        }

        @Override
        public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
            tasks.add(new Task(command, unit.toMillis(delay)));
            return null;
        }
    }

    @Test
    void payloadCarriesNameIdImageStackAndExitCode() {
        List<Event> published = new ArrayList<>();
        EngineEventRelay relay = new EngineEventRelay(null, published::add, null, null);
        relay.onEngineEvent(Json.parse(("{\"Type\":\"container\",\"Action\":\"die\",\"Actor\":{\"ID\":\"abc\",\"Attributes\":"
                + "{\"name\":\"web\",\"image\":\"nginx:1.25\",\"exitCode\":\"137\",\"com.docker.compose.project\":\"site\"}}}").getBytes()));
        relay.onEngineEvent(Json.parse("{\"Type\":\"image\",\"Action\":\"pull\",\"Actor\":{\"ID\":\"nginx\"}}".getBytes()));
        assertEquals(1, published.size(), "image events are not container events");
        Event e = published.get(0);
        assertEquals("container.died", e.type());
        assertEquals("web", e.payload().get("container"));
        assertEquals("abc", e.payload().get("id"));
        assertEquals("nginx:1.25", e.payload().get("image"));
        assertEquals("site", e.payload().get("stack"));
        assertEquals(137, e.payload().get("exit_code"));
        assertTrue(e.payload().containsKey("action"));
    }
}
