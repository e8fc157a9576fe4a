package dev.docksmith.runtime.update;

import dev.docksmith.api.Applied;
import dev.docksmith.api.Operation;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A strategy's plan kept in its operation's details, so that start-up after a crash knows which
 * strategy changed what and how to put it back. The undo facts live under {@code undo.}, which
 * {@code /api/operations} does not show (they can hold a whole compose file).
 */
public final class StoredPlan {
    public static final String STRATEGY = "strategy";
    public static final String STAGE = "stage";
    public static final String CONTAINER = "plan.container";
    public static final String PREVIOUS_IMAGE = "previous_image";
    public static final String PREVIOUS_IMAGE_ID = "previous_image_id";
    public static final String PREVIOUS_DIGEST = "previous_digest";
    public static final String NEW_IMAGE = "new_image";
    public static final String UNDO_PREFIX = "undo.";

    private StoredPlan() {
    }

    /** The details that record {@code plan} as made by {@code strategy}. */
    public static Map<String, String> details(String strategy, Applied plan) {
        Map<String, String> d = new LinkedHashMap<>();
        d.put(STRATEGY, strategy);
        d.put(CONTAINER, plan.containerName());
        d.put(PREVIOUS_IMAGE, plan.previousImage());
        d.put(NEW_IMAGE, plan.newImage());
        plan.undo().forEach((k, v) -> d.put(UNDO_PREFIX + k, v));
        return d;
    }

    /** The plan an operation recorded, if it got that far. */
    public static Optional<Applied> of(Operation op) {
        Map<String, String> d = op.details();
        if (!d.containsKey(STRATEGY) || !d.containsKey(CONTAINER)) {
            return Optional.empty();
        }
        Map<String, String> undo = new HashMap<>();
        d.forEach((k, v) -> {
            if (k.startsWith(UNDO_PREFIX)) {
                undo.put(k.substring(UNDO_PREFIX.length()), v);
            }
        });
        return Optional.of(new Applied(d.get(CONTAINER), d.get(PREVIOUS_IMAGE), d.get(NEW_IMAGE), undo));
    }

    /** The strategy that made the plan, if any. */
    public static Optional<String> strategy(Operation op) {
        return Optional.ofNullable(op.details().get(STRATEGY));
    }

    /** The details without the undo facts, for showing. */
    public static Map<String, String> visible(Map<String, String> details) {
        Map<String, String> shown = new LinkedHashMap<>();
        details.forEach((k, v) -> {
            if (!k.startsWith(UNDO_PREFIX)) {
                shown.put(k, v);
            }
        });
        return shown;
    }
}
