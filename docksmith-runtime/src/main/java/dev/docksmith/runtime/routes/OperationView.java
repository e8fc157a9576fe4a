package dev.docksmith.runtime.routes;

import dev.docksmith.api.Operation;
import dev.docksmith.runtime.update.StoredPlan;
import dev.docksmith.runtime.update.UpdateRequest;
import dev.docksmith.runtime.update.Updater;

import java.util.LinkedHashMap;
import java.util.Map;

/** An operation in the contract's shape ({@code operation_id}, {@code container_name}, ...). */
final class OperationView {
    private OperationView() {
    }

    static Map<String, Object> of(Operation op) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("operation_id", op.id());
        m.put("container_name", op.containerName());
        m.put("stack_name", op.stackName());
        m.put("operation_type", op.type());
        m.put("status", op.status().wire());
        m.put("old_version", op.oldVersion());
        m.put("new_version", op.newVersion());
        m.put("started_at", op.startedAt().toString());
        m.put("completed_at", op.completedAt() == null ? null : op.completedAt().toString());
        m.put("error", op.error());
        if (!op.details().isEmpty()) {
            m.put("details", StoredPlan.visible(op.details()));
        }
        return m;
    }

    /** Queues {@code request} and answers what every change route answers: the operation, started. */
    static Map<String, Object> started(Updater updater, UpdateRequest request) {
        Updater.Submitted submitted = updater.submit(request);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("operation_id", submitted.operation().id());
        m.put("container", request.container().name());
        m.put("status", "started");
        m.put("operation_type", request.type());
        m.put("old_version", request.oldVersion());
        m.put("new_version", request.newVersion());
        return m;
    }
}
