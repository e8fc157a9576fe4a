package dev.docksmith.runtime.update;

import dev.docksmith.api.Applied;
import dev.docksmith.api.Operation;
import dev.docksmith.api.OperationQuery;
import dev.docksmith.api.OperationStatus;
import dev.docksmith.spi.EventSink;
import dev.docksmith.spi.Store;
import dev.docksmith.spi.UpdateStrategy;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * At start-up, repairs every update the previous run left in flight: the strategy that stored the
 * plan makes the definition and the container agree again (restoring the compose file from the
 * stored bytes where needed), and the operation is marked failed with what was found.
 */
public final class UpdateRecovery {
    private static final System.Logger LOG = System.getLogger(UpdateRecovery.class.getName());

    private UpdateRecovery() {
    }

    /** True for a record this class repairs (a plan was stored), which the generic start-up pass leaves alone. */
    public static boolean handles(Operation op) {
        return !op.status().terminal() && StoredPlan.of(op).isPresent();
    }

    /** Repairs and ends each interrupted update; returns the ended records. */
    public static List<Operation> recover(Store store, List<UpdateStrategy> strategies, EventSink events, Clock clock) {
        List<Operation> ended = new ArrayList<>();
        UpdateEvents updates = new UpdateEvents(events);
        for (Operation op : store.operations(OperationQuery.all())) {
            if (!handles(op)) {
                continue;
            }
            Applied plan = StoredPlan.of(op).orElseThrow();
            String strategyName = StoredPlan.strategy(op).orElseThrow();
            String stage = op.details().getOrDefault(StoredPlan.STAGE, op.status().wire());
            Optional<UpdateStrategy> strategy = strategies.stream().filter(s -> s.name().equals(strategyName)).findFirst();
            String found;
            if (strategy.isEmpty()) {
                found = "cannot repair: the strategy " + strategyName + " that made the change is not installed";
            } else {
                try {
                    found = strategy.get().recover(plan, op.details().get(StoredPlan.STAGE));
                } catch (RuntimeException | LinkageError e) { // a plugin's bug must not stop the start-up
                    found = "repairing failed: " + e.getMessage();
                }
            }
            String why = "Docksmith stopped during " + stage + "; on start-up: " + found;
            Operation failed = op.end(OperationStatus.FAILED, why, clock.instant());
            store.save(failed);
            ended.add(failed);
            LOG.log(System.Logger.Level.WARNING, "{0} {1} {2}: {3}", op.id(), op.type(), op.containerName(), why);
            updates.progress(failed, "failed", why);
        }
        return ended;
    }
}
