package dev.docksmith.runtime.update;

import dev.docksmith.api.ContainerInfo;
import dev.docksmith.spi.UpdateStrategy;

import java.util.List;
import java.util.Map;

/**
 * One validated change to make to one container, ready to queue: everything a client sent has been
 * checked against the engine, the registry and the scripts directory before it is built.
 *
 * @param type           the operation type: {@code update}, {@code rollback}, {@code fix_compose_mismatch}, {@code labels}
 * @param container      the container as it was when the request came
 * @param strategy       the strategy that will make the change
 * @param newImage       the image reference to run (the current one for a label change)
 * @param oldVersion     the tag it runs, for the operation record
 * @param newVersion     the tag it will run
 * @param labelsToSet    labels to add or change
 * @param labelsToRemove labels to take away
 * @param script         a pre-update check to run instead of the container's own, or null
 * @param force          skip the pre-update check
 * @param extra          details to record with the operation (a rollback's source operation)
 */
public record UpdateRequest(String type, ContainerInfo container, UpdateStrategy strategy, String newImage,
                            String oldVersion, String newVersion, Map<String, String> labelsToSet,
                            List<String> labelsToRemove, String script, boolean force, Map<String, String> extra) {
    public UpdateRequest {
        labelsToSet = labelsToSet == null ? Map.of() : Map.copyOf(labelsToSet);
        labelsToRemove = labelsToRemove == null ? List.of() : List.copyOf(labelsToRemove);
        extra = extra == null ? Map.of() : Map.copyOf(extra);
    }

    /** Updates of one compose project queue behind each other; a standalone container is its own lane. */
    public String lane() {
        return container.stack() != null ? "stack:" + container.stack() : "container:" + container.name();
    }
}
