package dev.docksmith.spi;

import dev.docksmith.api.Applied;
import dev.docksmith.api.Change;
import dev.docksmith.api.ContainerInfo;

import java.util.Optional;

/**
 * How a container is defined and recreated: by a compose file, by plain engine configuration, or by
 * a third party's tooling. For each container the runtime uses the highest {@link #priority()} among
 * the strategies that {@link #supports} it.
 *
 * <p>An update goes {@link #plan} (nothing changes; the runtime stores the plan), {@link #apply}
 * (definition edited, image pulled, container recreated), then the runtime's health gate, then
 * {@link #commit} when it passes or {@link #undo} when it fails. After a crash the runtime calls
 * {@link #recover} with the stored plan of every update left in flight.
 */
public interface UpdateStrategy extends Plugin {
    /** True when this strategy knows how the container is defined. */
    boolean supports(ContainerInfo container);

    /** Higher wins among strategies that support a container. */
    default int priority() {
        return 0;
    }

    /**
     * The image reference the container's definition asks for (for a compose service, its
     * {@code image:} after variable substitution), so the checker can report a mismatch with what
     * runs. Empty when the definition names no image (a {@code build:} service) or the strategy keeps
     * no definition apart from the container itself.
     *
     * @throws dev.docksmith.api.DocksmithException saying which file and why, when the definition
     *                                              cannot be read
     */
    Optional<String> declaredImage(ContainerInfo container);

    /**
     * Checks, without changing anything, that the change can be made (the definition is readable and
     * writable, it names an image), and returns every fact {@link #undo} and {@link #recover} will
     * need (file paths, previous content, names). The runtime stores the plan before it calls
     * {@link #apply}, so that a crash in the middle can be repaired.
     *
     * @throws dev.docksmith.api.UpdateException when the change cannot be made (naming the file or reason)
     */
    default Applied plan(Change change) {
        throw new UnsupportedOperationException(name() + " cannot update containers");
    }

    /**
     * Makes a planned change: edits the definition, pulls, recreates, reporting each stage. On failure
     * it puts back what it changed and throws, saying what failed and what was put back.
     *
     * @return the plan, with any facts learned on the way (a new container id)
     * @throws dev.docksmith.api.UpdateException when the change could not be made
     */
    default Applied apply(Change change, Applied plan, StageListener stages) {
        throw new UnsupportedOperationException(name() + " cannot update containers");
    }

    /** {@link #plan} then {@link #apply}, for callers that do not store the plan. */
    default Applied apply(Change change, StageListener stages) {
        return apply(change, plan(change), stages);
    }

    /** Puts back exactly what {@link #apply} changed (definition and image), and recreates. */
    default void undo(Applied applied, StageListener stages) {
        throw new UnsupportedOperationException(name() + " cannot undo updates");
    }

    /**
     * The new container passed the health gate: drop what was kept only for {@link #undo} (an old
     * container kept under another name). A later rollback then goes through {@link #apply} with the
     * old image.
     */
    default void commit(Applied applied) {
    }

    /**
     * After a crash, {@link #apply} may have stopped anywhere. Puts the definition and the container
     * back as they were before the plan where they differ (leaving what already agrees alone) and
     * says, in one sentence, what was found and done.
     */
    default String recover(Applied plan) {
        undo(plan, StageListener.NONE);
        return "the update was undone";
    }

    /**
     * As {@link #recover(Applied)}, told the last stage the runtime recorded ({@code pulling_image},
     * {@code recreating}, ...), or null when unknown: a strategy can be surer of what to repair.
     */
    default String recover(Applied plan, String interruptedStage) {
        return recover(plan);
    }
}
