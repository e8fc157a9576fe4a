package dev.docksmith.api;

import java.util.Map;

/**
 * What a strategy plans or did, with everything it needs to undo it. The runtime stores it with the
 * operation (durably, before {@code apply} changes anything), so undo and crash repair also work in
 * a later process. The runtime keeps the {@code undo} facts out of {@code /api/operations}.
 *
 * @param containerName the container's name after the change; not null
 * @param previousImage the image reference it ran before
 * @param newImage      the image reference it runs after the change
 * @param undo          strategy-specific facts for {@code undo} and {@code recover} (file paths,
 *                      previous content, a kept container's name): plain text only, as it is stored
 *                      as text; never null (an immutable copy, empty when null is given)
 */
public record Applied(String containerName, String previousImage, String newImage, Map<String, String> undo) {
    /**
     * Copies {@code undo}, so the record stays immutable.
     *
     * @param containerName the container's name after the change
     * @param previousImage the image reference it ran before
     * @param newImage      the image reference it runs after the change
     * @param undo          strategy-specific facts; null means none
     */
    public Applied {
        undo = undo == null ? Map.of() : Map.copyOf(undo);
    }
}
