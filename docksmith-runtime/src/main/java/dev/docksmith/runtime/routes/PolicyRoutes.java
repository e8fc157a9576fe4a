package dev.docksmith.runtime.routes;

import dev.docksmith.api.ContainerInfo;
import dev.docksmith.api.Operation;
import dev.docksmith.api.OperationQuery;
import dev.docksmith.api.OperationStatus;
import dev.docksmith.runtime.docker.DockerClient;
import dev.docksmith.runtime.http.Router;
import dev.docksmith.runtime.http.Routes;
import dev.docksmith.runtime.update.StoredPlan;
import dev.docksmith.runtime.update.UpdateRequests;
import dev.docksmith.spi.Store;
import dev.docksmith.spi.UpdateStrategy;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/** {@code GET /api/policies}: per container, whether its last image change can be rolled back. */
public final class PolicyRoutes implements Routes {
    private final DockerClient docker;
    private final Store store;

    public PolicyRoutes(DockerClient docker, Store store) {
        this.docker = docker;
        this.store = store;
    }

    @Override
    public void routing(Router router) {
        router.get("/api/policies", r -> policies());
    }

    private Map<String, Object> policies() {
        // One pass over the stored operations (newest first) finds each container's last image change.
        Map<String, Operation> last = new LinkedHashMap<>();
        for (Operation op : store.operations(OperationQuery.all())) {
            if (op.containerName() != null && UpdateRequests.IMAGE_CHANGES.contains(op.type())) {
                last.putIfAbsent(op.containerName(), op);
            }
        }
        Map<String, Object> containers = new TreeMap<>();
        for (ContainerInfo info : docker.containers(true)) {
            String name = info.name();
            Operation op = last.get(name);
            Map<String, Object> policy = new LinkedHashMap<>();
            boolean can = op != null && op.status() == OperationStatus.COMPLETE
                    && op.details().get(StoredPlan.PREVIOUS_IMAGE) != null;
            policy.put("can_rollback", can);
            policy.put("last_operation_id", op == null ? null : op.id());
            policy.put("old_version", op == null ? null : op.oldVersion());
            policy.put("auto_rollback", UpdateStrategy.rollsBackOnFailure(info));
            containers.put(name, policy);
        }
        return Map.of("containers", containers);
    }
}
