package dev.docksmith.runtime.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.docksmith.api.Event;
import dev.docksmith.runtime.docker.DockerClient;
import dev.docksmith.spi.EventSink;

import java.io.Closeable;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Follows the engine's own event stream and republishes container events as {@code container.<what>}
 * ({@code stop} becomes {@code container.stopped}, {@code destroy} becomes {@code container.removed}).
 * When the engine goes away the stream ends; the relay says so once and reconnects with backoff (at
 * most 2 s apart), so events resume by themselves soon after the engine is back.
 */
public final class EngineEventRelay implements Closeable {
    private static final System.Logger LOG = System.getLogger(EngineEventRelay.class.getName());
    /**
     * Longest wait between two attempts. It is also how long events may stay missing after the engine
     * is back, however long it was away (30 s here once meant 13 s without events after a 20 s dockerd
     * restart); an attempt against an engine that is away costs a failed connect.
     */
    static final long MAX_BACKOFF_MS = 2_000;

    private final DockerClient docker;
    private final EventSink sink;
    private final ScheduledExecutorService scheduler;
    private final EngineInventory inventory;
    private volatile Closeable stream;
    private volatile boolean closed;
    private long backoffMs = 500;
    private boolean reportedDown;

    public EngineEventRelay(DockerClient docker, EventSink sink, ScheduledExecutorService scheduler, EngineInventory inventory) {
        this.docker = docker;
        this.sink = sink;
        this.scheduler = scheduler;
        this.inventory = inventory;
    }

    public void start() {
        scheduler.execute(this::connect);
    }

    private synchronized void connect() {
        if (closed) {
            return;
        }
        try {
            stream = docker.streamEvents(this::onEngineEvent, this::onEnd);
            if (inventory != null) {
                inventory.eventsFlowing(true);
            }
            if (reportedDown) {
                LOG.log(System.Logger.Level.INFO, "engine events resumed from {0}", docker.endpoint());
                sink.publish(Event.of("docker.reconnected", Map.of("endpoint", docker.endpoint())));
            }
            reportedDown = false;
            backoffMs = 500;
        } catch (RuntimeException e) {
            onEnd(e);
        }
    }

    private synchronized void onEnd(Throwable why) {
        if (closed) {
            return;
        }
        if (inventory != null) {
            inventory.eventsFlowing(false);
        }
        if (!reportedDown) {
            reportedDown = true;
            String reason = why == null ? "stream ended" : why.getMessage();
            LOG.log(System.Logger.Level.WARNING, "engine event stream from {0} lost ({1}); retrying", docker.endpoint(), reason);
            sink.publish(Event.of("docker.unreachable", Map.of("endpoint", docker.endpoint(), "error", String.valueOf(reason))));
        }
        long delay = backoffMs;
        backoffMs = Math.min(MAX_BACKOFF_MS, backoffMs * 2);
        scheduler.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
    }

    void onEngineEvent(JsonNode e) {
        String kind = e.path("Type").asText();
        if (inventory != null && changesInventory(kind, e.path("Action").asText(""))) {
            inventory.changed();
        }
        if (!"container".equals(kind)) {
            return;
        }
        String action = e.path("Action").asText("");
        String type = eventType(action);
        if (type == null) {
            return;
        }
        JsonNode attributes = e.path("Actor").path("Attributes");
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("container", attributes.path("name").asText(null));
        payload.put("id", e.path("Actor").path("ID").asText(null));
        payload.put("image", attributes.path("image").asText(null));
        payload.put("action", action);
        if (attributes.has("com.docker.compose.project")) {
            payload.put("stack", attributes.path("com.docker.compose.project").asText());
        }
        if (attributes.has("exitCode")) {
            payload.put("exit_code", attributes.path("exitCode").asInt());
        }
        if (action.startsWith("health_status")) {
            payload.put("health", action.substring(action.indexOf(':') + 1).trim());
        }
        sink.publish(Event.of(type, payload));
    }

    /**
     * Whether an event can change what the container or image lists say. Health probes run as execs
     * every few seconds on some containers; they change nothing a check reads.
     */
    static boolean changesInventory(String kind, String action) {
        if (kind.equals("image")) {
            return true;
        }
        return kind.equals("container") && eventType(action) != null && !action.startsWith("health_status");
    }

    /** Engine action to our event type; null for actions nobody watches (exec, attach, resize, ...). */
    static String eventType(String action) {
        if (action.startsWith("health_status")) {
            return "container.health";
        }
        return switch (action) {
            case "create" -> "container.created";
            case "start" -> "container.started";
            case "stop" -> "container.stopped";
            case "die" -> "container.died";
            case "kill" -> "container.killed";
            case "restart" -> "container.restarted";
            case "pause" -> "container.paused";
            case "unpause" -> "container.unpaused";
            case "rename" -> "container.renamed";
            case "destroy" -> "container.removed";
            case "oom" -> "container.oom";
            default -> null;
        };
    }

    @Override
    public synchronized void close() {
        closed = true;
        Closeable s = stream;
        if (s != null) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing a stream that is already gone
            }
        }
    }
}
