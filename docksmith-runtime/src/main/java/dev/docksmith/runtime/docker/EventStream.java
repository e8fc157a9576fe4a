package dev.docksmith.runtime.docker;

import com.fasterxml.jackson.databind.JsonNode;
import dev.docksmith.api.DockerException;
import dev.docksmith.runtime.docker.transport.DockerResponse;

import java.io.Closeable;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A running {@code GET /events} subscription. The request is made before {@link #start} returns (so an
 * unreachable engine fails the caller at once, and an event caused right after it is not missed);
 * then one daemon thread reads the stream until it ends or {@link #close()} is called.
 */
final class EventStream implements Closeable {
    private static final String ACTION = "streaming Docker events";

    private final EngineCaller engine;
    private final DockerResponse response;
    private final Consumer<JsonNode> onEvent;
    private final Consumer<Throwable> onEnd;
    private final Thread reader;
    private volatile boolean closed;

    private EventStream(EngineCaller engine, DockerResponse response, Consumer<JsonNode> onEvent,
                        Consumer<Throwable> onEnd) {
        this.engine = engine;
        this.response = response;
        this.onEvent = onEvent;
        this.onEnd = onEnd;
        this.reader = new Thread(this::run, "docker-events");
        this.reader.setDaemon(true);
    }

    /**
     * Subscribes. {@code onEnd} is called once, with the reason, when the stream ends by itself (the
     * engine went away or ended it, or {@code onEvent} threw): a subscriber that wants to keep listening
     * subscribes again. It is not called after {@link #close()}: the caller already knows.
     */
    static EventStream start(EngineCaller engine, Map<String, List<String>> filters, Consumer<JsonNode> onEvent,
                             Consumer<Throwable> onEnd) {
        DockerResponse response = engine.open(ACTION,
                engine.request("GET", "/events" + new DockerPaths.Query().filters(filters)).asStreaming());
        EventStream stream = new EventStream(engine, response, onEvent, onEnd);
        stream.reader.start();
        return stream;
    }

    private void run() {
        Throwable failure = null;
        try {
            JsonLines.forEach(response.body(), onEvent);
            failure = new DockerException(0, ACTION + ": the engine at " + engine.endpoint() + " ended the stream");
        } catch (IOException e) {
            // Our own close() breaks the read too; that is no reason to forget the engine's version.
            failure = closed ? null : engine.broken(ACTION, e);
        } catch (RuntimeException e) {
            failure = e;
        }
        closeResponse();
        if (onEnd != null && !closed) {
            onEnd.accept(failure);
        }
    }

    /**
     * Ends the stream. It does not wait for the reader thread: subscribers often close from code that
     * holds the same lock their callbacks take, and waiting there would deadlock.
     */
    @Override
    public void close() {
        closed = true;
        closeResponse(); // unblocks the reader's read
    }

    private void closeResponse() {
        try {
            response.close();
        } catch (IOException ignored) {
            // the connection is being thrown away anyway
        }
    }
}
