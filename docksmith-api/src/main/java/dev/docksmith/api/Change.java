package dev.docksmith.api;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What an update asks a strategy to do to one container: move it to another image, change its
 * labels, or both. A label-only change keeps {@code newImage} equal to what the container runs.
 *
 * @param container      the container as it runs now
 * @param newImage       the image reference it should run ({@code nginx:1.26.0})
 * @param labelsToSet    labels to add or change; never null
 * @param labelsToRemove labels to take away; never null
 */
public record Change(ContainerInfo container, String newImage, Map<String, String> labelsToSet, List<String> labelsToRemove) {
    public Change {
        Objects.requireNonNull(container, "container");
        Objects.requireNonNull(newImage, "newImage");
        labelsToSet = labelsToSet == null ? Map.of() : Map.copyOf(labelsToSet);
        labelsToRemove = labelsToRemove == null ? List.of() : List.copyOf(labelsToRemove);
    }

    /** An image change that leaves labels alone. */
    public Change(ContainerInfo container, String newImage) {
        this(container, newImage, Map.of(), List.of());
    }

    /** True when labels are to change. */
    public boolean changesLabels() {
        return !labelsToSet.isEmpty() || !labelsToRemove.isEmpty();
    }

    /**
     * True for a change of labels alone: the image is not pulled again. Any other change pulls, even
     * to the same reference (a floating tag whose digest moved is updated by pulling it again).
     */
    public boolean labelsOnly() {
        return changesLabels() && !changesImage();
    }

    /** True when the image reference differs from the one the container runs. */
    public boolean changesImage() {
        return !newImage.equals(container.image());
    }
}
