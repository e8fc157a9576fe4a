package dev.docksmith.api;

import java.util.Map;

/**
 * What a strategy did, with everything it needs to undo it. The runtime stores it with the
 * operation before the change is made visible, so an undo also works after a restart.
 *
 * @param containerName the container's name after the change
 * @param previousImage the image reference it ran before
 * @param newImage      the image reference it runs now
 * @param undo          strategy-specific facts for {@code undo} (file paths, previous content); plain text only
 */
public record Applied(String containerName, String previousImage, String newImage, Map<String, String> undo) {
    public Applied {
        undo = undo == null ? Map.of() : Map.copyOf(undo);
    }
}
