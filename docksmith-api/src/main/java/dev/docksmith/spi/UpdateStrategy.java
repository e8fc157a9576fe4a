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
 * <p>An update goes {@link #plan} (nothing changes; the runtime stores the plan durably), {@link #apply}
 * (definition edited, image pulled, container recreated), then the runtime's health gate, then
 * {@link #commit} when it passes or {@link #undo} when it fails. After a crash the runtime calls
 * {@link #recover} with the stored plan of every update left in flight, matching the strategy by
 * {@link #name()}. A rollback the user asks for later is a new update through {@code plan} and
 * {@code apply} with the old image.
 *
 * <p>The runtime runs one update per compose project (or standalone container) at a time, but
 * updates of different projects, and checks, run concurrently: implementations are thread-safe.
 * Expected failures are {@link dev.docksmith.api.UpdateException} (or another
 * {@link dev.docksmith.api.DocksmithException}) whose message the runtime records as the operation's
 * error; any other exception is recorded as an unexpected failure. A strategy that only reads
 * definitions (for {@link #declaredImage}) may leave the update methods at their defaults, which
 * throw {@link UnsupportedOperationException}.
 */
public interface UpdateStrategy extends Plugin {
    /** The container label that, set to a false value, turns automatic rollback off. */
    String AUTO_ROLLBACK_LABEL = "docksmith.auto-rollback";

    /**
     * Whether a failed recreate or health gate of this container is undone by itself: yes unless it
     * carries {@value #AUTO_ROLLBACK_LABEL} with a value other than {@code true}, {@code 1} or
     * {@code yes}.
     *
     * @param container the container being updated
     * @return false when the user asked to keep a failed new version to look at
     */
    static boolean rollsBackOnFailure(ContainerInfo container) {
        String value = container.labels().get(AUTO_ROLLBACK_LABEL);
        return value == null || value.isBlank() || YesNo.truthy(value);
    }

    /**
     * Whether this strategy knows how the container is defined (for example, it carries compose
     * labels). Asked for every container on every check: quick, and without I/O where possible.
     *
     * @param container the container
     * @return true when this strategy can update it
     */
    boolean supports(ContainerInfo container);

    /**
     * Ranks this strategy among those that support a container. The bundled compose strategy (compose
     * containers) answers 10 and the recreate strategy (standalone containers) 0; a strategy that
     * should win over them for some containers answers more.
     *
     * @return the priority; higher wins
     */
    default int priority() {
        return 0;
    }

    /**
     * The image reference the container's definition asks for (for a compose service, its
     * {@code image:} after variable substitution), so the checker can report a mismatch with what
     * runs. Called on every check of a container this strategy supports.
     *
     * @param container a container this strategy {@link #supports}
     * @return the declared reference; empty when the definition names no image (a {@code build:}
     *         service) or the strategy keeps no definition apart from the container itself
     * @throws dev.docksmith.api.DocksmithException saying which file and why, when the definition
     *                                              cannot be read
     */
    Optional<String> declaredImage(ContainerInfo container);

    /**
     * Checks, without changing anything, that the change can be made (the definition is readable and
     * writable, it names an image), and returns every fact {@link #undo} and {@link #recover} will
     * need (file paths, previous content, names). The runtime stores the plan durably before it calls
     * {@link #apply}, so that a crash in the middle can be repaired.
     *
     * @param change what to do to which container
     * @return the plan, never null
     * @throws dev.docksmith.api.UpdateException when the change cannot be made (naming the file or reason)
     * @throws UnsupportedOperationException     by default: this strategy cannot update containers
     */
    default Applied plan(Change change) {
        throw new UnsupportedOperationException(name() + " cannot update containers");
    }

    /**
     * Makes a planned change: edits the definition, pulls, recreates, reporting each stage
     * ({@code updating_compose}, {@code pulling_image}, {@code recreating}) to {@code stages}. On
     * failure it puts back what it changed and throws, saying what failed and what was put back; the
     * runtime records the operation as rolled back when the failure came at {@code recreating} or
     * later, and as failed before that. Two exceptions: a failure at {@code recreating} of a container
     * that does not {@link #rollsBackOnFailure roll back on failure} is left as it is for the user to
     * look at, and a put-back that did not complete is said so; both throw an
     * {@link dev.docksmith.api.UpdateException} whose {@link dev.docksmith.api.UpdateException#putBack()}
     * is false, and the runtime records the operation as failed.
     *
     * @param change the change that was planned
     * @param plan   what {@link #plan} returned for it
     * @param stages told each stage as it begins
     * @return the plan, with any facts learned on the way (a new container id); the runtime stores it
     *         in place of the plan
     * @throws dev.docksmith.api.UpdateException when the change could not be made
     * @throws UnsupportedOperationException     by default: this strategy cannot update containers
     */
    default Applied apply(Change change, Applied plan, StageListener stages) {
        throw new UnsupportedOperationException(name() + " cannot update containers");
    }

    /**
     * {@link #plan} then {@link #apply}, for callers that do not store the plan.
     *
     * @param change what to do to which container
     * @param stages told each stage as it begins
     * @return what {@link #apply(Change, Applied, StageListener)} returned
     * @throws dev.docksmith.api.UpdateException when the change cannot be or could not be made
     */
    default Applied apply(Change change, StageListener stages) {
        return apply(change, plan(change), stages);
    }

    /**
     * Puts back exactly what {@link #apply} changed (definition and image), and recreates. Called
     * when the new container fails the health gate, with what {@code apply} returned; the default
     * {@link #recover(Applied)} calls it in a new process after a crash, so rely only on
     * {@code applied}.
     *
     * @param applied what {@link #apply} returned
     * @param stages  told each stage as it begins
     * @throws dev.docksmith.api.UpdateException when it cannot be put back; the runtime records that the
     *                                           rollback failed too
     * @throws UnsupportedOperationException     by default: this strategy cannot undo updates
     */
    default void undo(Applied applied, StageListener stages) {
        throw new UnsupportedOperationException(name() + " cannot undo updates");
    }

    /**
     * The new container passed the health gate: drop what was kept only for {@link #undo} (an old
     * container kept under another name). A later rollback then goes through {@link #apply} with the
     * old image. Also called when a failed health gate is left in place
     * ({@code docksmith.auto-rollback=false}). A failure here is logged; the update stands.
     *
     * @param applied what {@link #apply} returned
     */
    default void commit(Applied applied) {
    }

    /**
     * Recreates a container that shares another container's network namespace ({@code network_mode:
     * "service:vpn"}, {@code docker run --network container:vpn}) so that it joins that container
     * again: it was recreated (updated, rolled back) and the engine still points this one at the old
     * id, where only {@code lo} is left. The container keeps the image it runs (nothing is pulled) and
     * its definition; it is started. The runtime then applies its health gate to it.
     *
     * @param container the container to recreate, as it runs now
     * @param oldId     the id of the container whose namespace it shares now (gone or restarted)
     * @param newId     the id of the container it must share the namespace of from now on
     * @param stages    told each stage as it begins
     * @return the container's name after it was recreated
     * @throws dev.docksmith.api.UpdateException when it could not be recreated (saying what was left)
     * @throws UnsupportedOperationException     by default: this strategy cannot recreate containers
     */
    default String reattach(ContainerInfo container, String oldId, String newId, StageListener stages) {
        throw new UnsupportedOperationException(name() + " cannot recreate containers onto another's network");
    }

    /**
     * After a crash, {@link #apply} may have stopped anywhere. Puts the definition and the container
     * back as they were before the plan where they differ (leaving what already agrees alone) and
     * says, in one sentence, what was found and done. Called once per interrupted update at start-up,
     * before any new update runs; must work in a new process from the plan's facts alone. The runtime
     * then marks the operation failed with that sentence (or with the exception's message).
     *
     * @param plan what {@link #plan} returned, or what {@link #apply} returned if it got that far
     * @return one sentence for the operation's record, never null
     */
    default String recover(Applied plan) {
        undo(plan, StageListener.NONE);
        return "the update was undone";
    }

    /**
     * As {@link #recover(Applied)}, told the last stage the runtime recorded ({@code pulling_image},
     * {@code recreating}, ...), or null when unknown: a strategy can be surer of what to repair. This
     * is the method the runtime calls.
     *
     * @param plan             what {@link #plan} returned, or what {@link #apply} returned if it got
     *                         that far
     * @param interruptedStage the last stage recorded, or null
     * @return one sentence for the operation's record, never null
     */
    default String recover(Applied plan, String interruptedStage) {
        return recover(plan);
    }
}
