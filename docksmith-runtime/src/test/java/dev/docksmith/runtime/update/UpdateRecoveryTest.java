package dev.docksmith.runtime.update;

import dev.docksmith.api.Applied;
import dev.docksmith.api.ContainerInfo;
import dev.docksmith.api.Event;
import dev.docksmith.api.Operation;
import dev.docksmith.api.OperationStatus;
import dev.docksmith.runtime.store.InMemoryStore;
import dev.docksmith.spi.UpdateStrategy;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Start-up repair of updates a crash left in flight: the strategy repairs, the record ends, and an event says so. */
class UpdateRecoveryTest {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-27T08:00:00Z"), ZoneOffset.UTC);

    /** A strategy that records what it was asked to recover and answers with one sentence. */
    static final class RecordingStrategy implements UpdateStrategy {
        final List<String> recovered = new ArrayList<>();

        @Override public String name() { return "recording"; }
        @Override public boolean supports(ContainerInfo container) { return true; }
        @Override public Optional<String> declaredImage(ContainerInfo container) { return Optional.empty(); }

        @Override
        public String recover(Applied plan, String interruptedStage) {
            recovered.add(plan.containerName() + " at " + interruptedStage);
            return "the compose file was restored";
        }
    }

    @Test
    void anUpdateLeftInFlightIsRepairedEndedFailedAndAnnounced() {
        InMemoryStore store = new InMemoryStore();
        Applied plan = new Applied("web", "demo:1.0.0", "demo:1.1.0", Map.of("file", "/srv/web/compose.yaml"));
        Operation inFlight = Operation.start("op_1", "update", "web", "web", CLOCK.instant())
                .withDetails(StoredPlan.details("recording", plan)).withDetail(StoredPlan.STAGE, "recreating");
        store.save(inFlight);
        store.save(Operation.start("op_2", "update", "other", null, CLOCK.instant()).complete(CLOCK.instant()));
        RecordingStrategy strategy = new RecordingStrategy();
        List<Event> events = new ArrayList<>();

        List<Operation> ended = UpdateRecovery.recover(store, List.of(strategy), events::add, CLOCK);

        assertEquals(List.of("web at recreating"), strategy.recovered, "only the one in flight is repaired");
        assertEquals(1, ended.size());
        Operation stored = store.operation("op_1").orElseThrow();
        assertEquals(OperationStatus.FAILED, stored.status());
        assertEquals("Docksmith stopped during recreating; on start-up: the compose file was restored", stored.error());
        assertEquals(1, events.size(), events.toString());
        Event event = events.get(0);
        assertEquals("update.progress", event.type());
        assertEquals("op_1", event.payload().get("operation_id"));
        assertEquals("failed", event.payload().get("stage"));
        assertTrue(String.valueOf(event.payload().get("message")).contains("the compose file was restored"), event.toString());
    }

    @Test
    void aMissingStrategyIsSaidAndTheRecordStillEnds() {
        InMemoryStore store = new InMemoryStore();
        Applied plan = new Applied("web", "demo:1.0.0", "demo:1.1.0", Map.of());
        store.save(Operation.start("op_1", "update", "web", null, CLOCK.instant())
                .withDetails(StoredPlan.details("gone", plan)).withDetail(StoredPlan.STAGE, "pulling_image"));
        List<Event> events = new ArrayList<>();

        UpdateRecovery.recover(store, List.of(new RecordingStrategy()), events::add, CLOCK);

        Operation stored = store.operation("op_1").orElseThrow();
        assertEquals(OperationStatus.FAILED, stored.status());
        assertTrue(stored.error().contains("the strategy gone that made the change is not installed"), stored.error());
        assertEquals(1, events.size());
    }
}
