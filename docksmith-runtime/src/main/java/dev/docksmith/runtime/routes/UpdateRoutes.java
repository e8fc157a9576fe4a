package dev.docksmith.runtime.routes;

import com.fasterxml.jackson.databind.JsonNode;
import dev.docksmith.api.BadRequestException;
import dev.docksmith.api.ContainerInfo;
import dev.docksmith.api.DocksmithException;
import dev.docksmith.runtime.http.Request;
import dev.docksmith.runtime.http.Router;
import dev.docksmith.runtime.http.Routes;
import dev.docksmith.runtime.stack.StackOrder;
import dev.docksmith.runtime.update.UpdateRequest;
import dev.docksmith.runtime.update.UpdateRequests;
import dev.docksmith.runtime.update.Updater;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The routes that change what a container runs: update, batch update, rollback and
 * fix-compose-mismatch. Each validates first (bad input is a 4xx and changes nothing), then queues
 * one operation per container and answers at once; {@code update.progress} events and
 * {@code /api/operations/{id}} follow it.
 */
public final class UpdateRoutes implements Routes {
    /** More than this in one batch is more likely a mistake than a host. */
    private static final int MAX_BATCH = 500;

    private final UpdateRequests requests;
    private final Updater updater;

    public UpdateRoutes(UpdateRequests requests, Updater updater) {
        this.requests = requests;
        this.updater = updater;
    }

    @Override
    public void routing(Router router) {
        router.post("/api/update", this::update);
        router.post("/api/update/batch", this::batch);
        router.post("/api/rollback", this::rollback);
        router.post("/api/fix-compose-mismatch/{name}", r -> started(requests.fixComposeMismatch(r.param("name"))));
    }

    private Map<String, Object> update(Request request) {
        JsonNode body = request.json();
        String container = BodyFields.requiredText(body, "container", "container_name");
        String version = BodyFields.optionalText(body, "version", "target_version");
        String script = BodyFields.optionalText(body, "script", "script_path");
        boolean force = BodyFields.optionalBool(body, "force", false);
        return started(requests.update(container, version, script, force));
    }

    private Map<String, Object> rollback(Request request) {
        return started(requests.rollback(BodyFields.requiredText(request.json(), "operation_id")));
    }

    /**
     * Validates every container first; the valid ones are queued stack by stack in {@code depends_on}
     * order (a stack's lane runs them one after another), each with its own result.
     */
    private Map<String, Object> batch(Request request) {
        JsonNode body = request.json();
        List<String> names = BodyFields.requiredTextList(body, "containers", "container_names");
        if (names.isEmpty() || names.size() > MAX_BATCH) {
            throw new BadRequestException("'containers' must name between 1 and " + MAX_BATCH + " containers");
        }
        boolean force = BodyFields.optionalBool(body, "force", false);
        // Results keep the order the client named the containers in, whatever order they run in.
        List<Map<String, Object>> results = new ArrayList<>();
        List<UpdateRequest> valid = new ArrayList<>();
        Map<UpdateRequest, Integer> slots = new IdentityHashMap<>();
        for (String name : names) {
            try {
                UpdateRequest r = requests.update(name, null, null, force);
                if (valid.stream().anyMatch(v -> v.container().id().equals(r.container().id()))) {
                    throw new BadRequestException(name + " is named more than once in this batch");
                }
                valid.add(r);
                slots.put(r, results.size());
                results.add(null);
            } catch (DocksmithException e) {
                Map<String, Object> failed = new LinkedHashMap<>();
                failed.put("container", name);
                failed.put("status", "failed");
                failed.put("error", e.getMessage());
                results.add(failed);
            }
        }
        for (UpdateRequest r : dependenciesFirst(valid)) {
            results.set(slots.get(r), started(r));
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("results", results);
        m.put("queued", valid.size());
        m.put("failed", names.size() - valid.size());
        return m;
    }

    /** Stacks keep the order they were first named in; inside one, dependencies go first. */
    private static List<UpdateRequest> dependenciesFirst(List<UpdateRequest> requests) {
        Map<String, List<UpdateRequest>> byLane = new LinkedHashMap<>();
        for (UpdateRequest r : requests) {
            byLane.computeIfAbsent(r.lane(), k -> new ArrayList<>()).add(r);
        }
        List<UpdateRequest> ordered = new ArrayList<>();
        for (List<UpdateRequest> lane : byLane.values()) {
            List<ContainerInfo> members = StackOrder.dependenciesFirst(lane.stream().map(UpdateRequest::container).toList());
            for (ContainerInfo c : members) {
                lane.stream().filter(r -> r.container().id().equals(c.id())).findFirst().ifPresent(ordered::add);
            }
        }
        return ordered;
    }

    private Map<String, Object> started(UpdateRequest request) {
        return OperationView.started(updater, request);
    }
}
