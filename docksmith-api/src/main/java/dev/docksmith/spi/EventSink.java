package dev.docksmith.spi;

import dev.docksmith.api.Event;

/**
 * Where progress and domain events go; the runtime fans them out to {@code /api/events} (SSE)
 * subscribers and to the listeners of an embedding application. Thread-safe.
 */
@FunctionalInterface
public interface EventSink {
    /**
     * Publishes an event without blocking: a slow subscriber never slows the publisher. Delivery is
     * best effort: a subscriber whose queue is full loses the event (and is told how many it lost),
     * and events published after the runtime has stopped are dropped.
     *
     * @param event the event; not null
     */
    void publish(Event event);
}
