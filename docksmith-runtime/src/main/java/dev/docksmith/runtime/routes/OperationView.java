package dev.docksmith.runtime.api;

import dev.docksmith.api.Operation;
import dev.docksmith.runtime.update.StoredPlan;

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
}
