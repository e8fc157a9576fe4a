package dev.docksmith.runtime.routes;

import dev.docksmith.runtime.events.EventBus;
import dev.docksmith.runtime.http.Reply;
import dev.docksmith.runtime.http.Router;
import dev.docksmith.runtime.http.Routes;
import dev.docksmith.runtime.http.SseSource;

/** {@code GET /api/events}: every event on the bus, as server-sent events, until the client leaves. */
public final class EventRoutes implements Routes {
    private final EventBus events;

    public EventRoutes(EventBus events) {
        this.events = events;
    }

    @Override
    public void routing(Router router) {
        router.get("/api/events", r -> Reply.sse(SseSource.of(events.subscribe())));
    }
}
