package dev.docksmith.runtime.routes;

import dev.docksmith.api.NotFoundException;
import dev.docksmith.api.OperationQuery;
import dev.docksmith.api.OperationStatus;
import dev.docksmith.runtime.http.Request;
import dev.docksmith.runtime.http.Router;
import dev.docksmith.runtime.http.Routes;
import dev.docksmith.spi.Store;

import java.util.List;
import java.util.Map;

/** {@code GET /api/operations} with its filters, and {@code GET /api/operations/{id}}. */
public final class OperationRoutes implements Routes {
    static final int DEFAULT_LIMIT = 100;

    private final Store store;

    public OperationRoutes(Store store) {
        this.store = store;
    }

    @Override
    public void routing(Router router) {
        router.get("/api/operations", this::list);
        router.get("/api/operations/{id}", this::one);
    }

    private List<Map<String, Object>> list(Request request) {
        OperationStatus status = request.query("status").map(OperationStatus::fromWire).orElse(null);
        var query = new OperationQuery(request.query("container").orElse(null), status,
                request.query("type").orElse(null), request.queryInt("limit", DEFAULT_LIMIT));
        return store.operations(query).stream().map(OperationView::of).toList();
    }

    private Map<String, Object> one(Request request) {
        String id = request.param("id");
        return store.operation(id).map(OperationView::of)
                .orElseThrow(() -> new NotFoundException("Operation not found: " + id));
    }
}
