package dev.docksmith.spi;

import dev.docksmith.api.Event;

/** Where progress and domain events go; the runtime fans them out to SSE clients and listeners. */
@FunctionalInterface
public interface EventSink {
    /** Publishes without blocking; a slow subscriber never slows the publisher. */
    void publish(Event event);
}
