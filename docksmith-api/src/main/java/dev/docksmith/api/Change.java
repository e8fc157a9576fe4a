package dev.docksmith.api;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What an update asks a strategy to do to one container: move it to another image, change its
 * labels, or both. A label-only change keeps {@code newImage} equal to what the container runs.
 *
 * <p>Immutable; the label collections are copies.
 *
 * @param container      the container as it runs now; not null
 * @param newImage       the image reference it should run ({@code nginx:1.26.0}); not null
 * @param labelsToSet    labels to add or change; never null (empty when null is given)
 * @param labelsToRemove labels to take away; never null (empty when null is given)
 */
public record Change(ContainerInfo container, String newImage, Map<String, String> labelsToSet, List<String> labelsToRemove) {
    /**
     * Checks and copies the components.
     *
     * @param container      the container as it runs now
     * @param newImage       the image reference it should run
     * @param labelsToSet    labels to add or change; null means none
     * @param labelsToRemove labels to take away; null means none
     * @throws NullPointerException when {@code container} or {@code newImage} is null
     */
    public Change {
        Objects.requireNonNull(container, "container");
        Objects.requireNonNull(newImage, "newImage");
        labelsToSet = labelsToSet == null ? Map.of() : Map.copyOf(labelsToSet);
        labelsToRemove = labelsToRemove == null ? List.of() : List.copyOf(labelsToRemove);
    }

    /**
     * An image change that leaves labels alone.
     *
     * @param container the container as it runs now
     * @param newImage  the image reference it should run
     * @throws NullPointerException when {@code container} or {@code newImage} is null
     */
    public Change(ContainerInfo container, String newImage) {
        this(container, newImage, Map.of(), List.of());
    }

    /**
     * Whether labels are to change.
     *
     * @return true when there are labels to set or remove
     */
    public boolean changesLabels() {
        return !labelsToSet.isEmpty() || !labelsToRemove.isEmpty();
    }

    /**
     * Whether this changes labels alone: then the image is not pulled again. Any other change pulls,
     * even to the same reference (a floating tag whose digest moved is updated by pulling it again).
     *
     * @return true when labels change and the image reference does not
     */
    public boolean labelsOnly() {
        return changesLabels() && !changesImage();
    }

    /**
     * Whether the image reference differs from the one the container runs (compared as text).
     *
     * @return true when {@code newImage} is not the container's {@link ContainerInfo#image()}
     */
    public boolean changesImage() {
        return !newImage.equals(container.image());
    }
}
