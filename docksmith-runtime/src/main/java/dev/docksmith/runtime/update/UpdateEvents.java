package dev.docksmith.runtime.update;

import dev.docksmith.api.Applied;
import dev.docksmith.api.Event;
import dev.docksmith.api.Operation;
import dev.docksmith.spi.EventSink;

import java.util.LinkedHashMap;
import java.util.Map;

/** The events an update publishes: {@code update.progress} for each stage, {@code container.updated} at the end. */
final class UpdateEvents {
    /** How far along each stage is, so a progress bar moves the same way for every strategy. */
    private static final Map<String, Integer> PROGRESS = Map.of("queued", 0, "validating", 5, "backup", 10,
            "updating_compose", 20, "pulling_image", 40, "recreating", 60, "health_check", 80,
            "restarting_dependents", 90);

    private final EventSink events;

    UpdateEvents(EventSink events) {
        this.events = events;
    }

    /** One stage (or an end: complete, failed, rolled_back, at 100) of {@code operation}. */
    void progress(Operation operation, String stage, String message) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("operation_id", operation.id());
        payload.put("container", operation.containerName());
        if (operation.stackName() != null) {
            payload.put("stack", operation.stackName());
        }
        payload.put("operation_type", operation.type());
        payload.put("stage", stage);
        payload.put("progress", PROGRESS.getOrDefault(stage, 100));
        payload.put("message", message);
        events.publish(Event.of("update.progress", payload));
    }

    /** The update is done: what runs now and what ran before. */
    void updated(Operation done, Applied applied) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("operation_id", done.id());
        payload.put("container", applied.containerName());
        payload.put("stack", done.stackName());
        payload.put("operation_type", done.type());
        payload.put("old_version", done.oldVersion());
        payload.put("new_version", done.newVersion());
        payload.put("old_image", applied.previousImage());
        payload.put("new_image", applied.newImage());
        events.publish(Event.of("container.updated", payload));
    }
}
