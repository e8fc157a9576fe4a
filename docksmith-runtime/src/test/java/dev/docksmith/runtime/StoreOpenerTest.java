package dev.docksmith.runtime;

import dev.docksmith.api.Operation;
import dev.docksmith.api.OperationStatus;
import dev.docksmith.runtime.store.InMemoryStore;
import dev.docksmith.runtime.update.StoredPlan;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class StoreOpenerTest {
    private static final Instant NOW = Instant.parse("2026-01-02T03:04:05Z");

    /**
     * Regression: an update killed in {@code validating} or early in {@code backup} (before its plan was
     * stored) was marked failed with "stopped while this operation was running", without the stage its
     * record held, unlike one killed later; UpdateKillLoopIT showed it as the only answer that did not
     * say where the update was.
     */
    @Test
    void anUpdateStoppedBeforeItsPlanSaysAtWhichStage() {
        InMemoryStore store = new InMemoryStore();
        store.save(Operation.queue("op1", "update", "web", "site", NOW).running().withDetail(StoredPlan.STAGE, "validating"));
        store.save(Operation.queue("op2", "restart", "db", null, NOW).running());
        store.save(Operation.queue("op3", "update", "cache", null, NOW));

        List<Operation> resolved = StoreOpener.resolveInterrupted(store, NOW.plusSeconds(5));

        assertEquals(3, resolved.size());
        Operation update = store.operation("op1").orElseThrow();
        assertEquals(OperationStatus.FAILED, update.status());
        assertEquals("Docksmith stopped during validating (its last recorded stage), before the update had changed anything;"
                + " marked failed on start-up", update.error());
        assertEquals("Docksmith stopped while this operation was running; marked failed on start-up",
                store.operation("op2").orElseThrow().error());
        assertEquals("Docksmith stopped while this operation was queued; marked failed on start-up",
                store.operation("op3").orElseThrow().error());
    }
}
