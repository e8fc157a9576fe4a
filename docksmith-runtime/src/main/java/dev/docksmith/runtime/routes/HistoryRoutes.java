package dev.docksmith.runtime.routes;

import dev.docksmith.api.BadRequestException;
import dev.docksmith.api.CheckRecord;
import dev.docksmith.api.HistoryQuery;
import dev.docksmith.api.Operation;
import dev.docksmith.api.OperationQuery;
import dev.docksmith.runtime.http.Request;
import dev.docksmith.runtime.http.Router;
import dev.docksmith.runtime.http.Routes;
import dev.docksmith.spi.Store;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code GET /api/history}: checks and state-changing operations together, newest first. */
public final class HistoryRoutes implements Routes {
    private final Store store;

    public HistoryRoutes(Store store) {
        this.store = store;
    }

    @Override
    public void routing(Router router) {
        router.get("/api/history", this::history);
    }

    private List<Map<String, Object>> history(Request request) {
        String container = request.query("container").orElse(null);
        int limit = request.queryInt("limit", OperationRoutes.DEFAULT_LIMIT);
        if (limit <= 0 || limit > OperationQuery.MAX_LIMIT) {
            // Checked here too: with a type that queries nothing, the limit only reached Stream.limit (a 500).
            throw new BadRequestException("limit must be between 1 and " + OperationQuery.MAX_LIMIT + ", was " + limit);
        }
        String type = request.query("type").orElse(null); // "check" or "operation"
        List<Map.Entry<Instant, Map<String, Object>>> entries = new ArrayList<>();
        if (type == null || type.equals("check")) {
            for (CheckRecord c : store.checks(new HistoryQuery(container, null, limit))) {
                entries.add(Map.entry(c.checkedAt(), check(c)));
            }
        }
        if (type == null || type.equals("operation") || type.equals("update")) {
            for (Operation op : store.operations(new OperationQuery(container, null, type == null || type.equals("operation") ? null : type, limit))) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("type", "operation");
                m.putAll(OperationView.of(op));
                entries.add(Map.entry(op.startedAt(), m));
            }
        }
        entries.sort(Map.Entry.<Instant, Map<String, Object>>comparingByKey(Comparator.reverseOrder()));
        return entries.stream().limit(limit).map(Map.Entry::getValue).toList();
    }

    private static Map<String, Object> check(CheckRecord c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "check");
        m.put("container_name", c.containerName());
        m.put("image", c.image());
        m.put("status", c.status());
        m.put("current_version", c.currentVersion());
        m.put("latest_version", c.latestVersion());
        m.put("error", c.error());
        m.put("checked_at", c.checkedAt().toString());
        return m;
    }
}
