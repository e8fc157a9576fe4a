package dev.docksmith.runtime.http;

import dev.docksmith.api.Event;
import dev.docksmith.runtime.events.EventQueue;
import dev.docksmith.runtime.events.Subscription;
import dev.docksmith.spi.EventSink;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The events of one {@code text/event-stream} reply ({@link Reply#sse}). The server polls it on a
 * thread of its own, writes each event as {@code data: {"type":...,"payload":...}}, writes a
 * keep-alive comment when idle, and ends the stream when the source {@linkplain #isComplete()
 * completes} or the client goes away; it calls {@link #close()} exactly once either way.
 * <p>
 * Two ready-made sources: {@link #of(Subscription)} for the bus ({@code /api/events}) and
 * {@link #of(Producer)} for a finite stream a handler produces itself (restart with progress).
 */
public interface SseSource {
    /** The next event, waiting at most {@code timeout}; null when none came in time or the source is done. */
    Event poll(Duration timeout) throws InterruptedException;

    /** True once no event will follow; the server then drains what {@link #poll} still returns. */
    boolean isComplete();

    /** Called once, after the response headers are sent. */
    default void open() {
    }

    /** Called once when the stream ends for any reason: release what the source holds. */
    default void close() {
    }

    /** Streams a bus subscription until the client leaves; closing the stream closes the subscription. */
    static SseSource of(Subscription subscription) {
        Objects.requireNonNull(subscription, "subscription");
        return new SseSource() {
            @Override
            public Event poll(Duration timeout) throws InterruptedException {
                return subscription.poll(timeout);
            }

            @Override
            public boolean isComplete() {
                return subscription.isClosed();
            }

            @Override
            public void close() {
                subscription.close();
            }
        };
    }

    /** Fills a finite stream: publish events to the sink; the stream ends when it returns. */
    @FunctionalInterface
    interface Producer {
        void produce(EventSink sink) throws Exception;
    }

    /** A finite stream run on a new daemon thread once the stream opens; see {@link #of(Executor, Producer)}. */
    static SseSource of(Producer producer) {
        return of(task -> {
            Thread thread = new Thread(task, "docksmith-sse-producer");
            thread.setDaemon(true);
            thread.start();
        }, producer);
    }

    /**
     * A finite stream: once the stream opens, {@code producer} runs on {@code executor} with a sink
     * for its events, and the stream ends after its last event. The producer keeps running if the
     * client leaves (an operation must not stop half way because a browser tab closed); its events
     * are then discarded. If it throws, the stream ends with an {@code error} event whose payload
     * is {@code {"message":...,"code":...}} as in the error envelope.
     */
    static SseSource of(Executor executor, Producer producer) {
        Objects.requireNonNull(executor, "executor");
        Objects.requireNonNull(producer, "producer");
        EventQueue queue = new EventQueue(1024);
        AtomicBoolean started = new AtomicBoolean();
        return new SseSource() {
            @Override
            public Event poll(Duration timeout) throws InterruptedException {
                return queue.poll(timeout);
            }

            @Override
            public boolean isComplete() {
                return queue.isDone();
            }

            @Override
            public void open() {
                if (!started.compareAndSet(false, true)) {
                    return;
                }
                try {
                    executor.execute(() -> {
                        try {
                            producer.produce(queue::offer);
                        } catch (Exception e) {
                            if (e instanceof InterruptedException) {
                                Thread.currentThread().interrupt();
                            }
                            failed(queue, e);
                        } finally {
                            queue.finish();
                        }
                    });
                } catch (RuntimeException e) {
                    failed(queue, e);
                    queue.finish();
                }
            }

            @Override
            public void close() {
                queue.close();
            }
        };
    }

    private static void failed(EventQueue queue, Exception e) {
        Errors.Mapped mapped = Errors.mapAndLog(e, "event stream producer", RequestIds.next());
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("message", mapped.message());
        payload.put("code", mapped.code());
        queue.offer(Event.of("error", payload));
    }
}
