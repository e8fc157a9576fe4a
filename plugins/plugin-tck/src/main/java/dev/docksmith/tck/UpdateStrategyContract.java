package dev.docksmith.tck;

import dev.docksmith.api.Applied;
import dev.docksmith.api.Change;
import dev.docksmith.api.ContainerInfo;
import dev.docksmith.api.ImageRef;
import dev.docksmith.spi.Plugin;
import dev.docksmith.spi.StageListener;
import dev.docksmith.spi.UpdateStrategy;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The contract every {@link UpdateStrategy} keeps: what it says about a container is consistent, a
 * plan changes nothing, and what {@link UpdateStrategy#apply apply} changes, {@link UpdateStrategy#undo
 * undo} and {@link UpdateStrategy#recover recover} put back, working from the stored plan alone.
 *
 * <p>No real engine is needed: a subclass wires its strategy to fakes (files in a temporary directory,
 * an in-memory engine, a scripted CLI) and says how to {@link #snapshot} everything the strategy could
 * change. Each test gets a fresh fixture (JUnit makes a new instance per test).
 */
public abstract class UpdateStrategyContract {
    /**
     * The strategy under test, wired to this test's fakes. Called more than once in a test: a new
     * instance each time is welcome, since the runtime undoes and recovers after a restart, from the
     * stored plan alone.
     */
    protected abstract UpdateStrategy strategy();

    /** A container the strategy supports, as the fakes say it runs now (its image may change during a test). */
    protected abstract ContainerInfo container();

    /** An image the container can move to; not the one it runs. */
    protected abstract String newImage();

    /**
     * Everything the strategy could change (definition files, the fake engine's containers), as a value
     * compared with {@code equals} and shown on failure.
     */
    protected abstract Object snapshot();

    /**
     * The calls that change something made on the fakes so far ({@code "rename <id> <name>"},
     * {@code "docker compose up ..."}), oldest first; a plan must add none. Empty when the fakes do not
     * record calls (the snapshot alone then tells).
     */
    protected List<String> changingCalls() {
        return List.of();
    }

    /** A container this strategy does not support; empty when it supports every container. */
    protected Optional<ContainerInfo> unsupportedContainer() {
        return Optional.empty();
    }

    /** The change the tests make: the container to {@link #newImage()}. */
    protected Change change() {
        return new Change(container(), newImage());
    }

    /** What the runtime stores and reads back: the plan as plain values, detached from the strategy's objects. */
    protected static Applied stored(Applied applied) {
        return new Applied(applied.containerName(), applied.previousImage(), applied.newImage(), new HashMap<>(applied.undo()));
    }

    private static ImageRef ref(String image) {
        return ImageRef.parse(image);
    }

    // ---- what it says ----

    @Test
    void hasAStableNameAndAKnownApiVersion() {
        UpdateStrategy s = strategy();
        assertFalse(s.name() == null || s.name().isBlank(), "a plugin has a name");
        assertEquals(s.name(), strategy().name());
        assertTrue(s.apiVersion() <= Plugin.API_VERSION);
    }

    @Test
    void supportsItsContainerAndAnswersTheSameEveryTime() {
        UpdateStrategy s = strategy();
        ContainerInfo c = container();
        assertTrue(s.supports(c), s.name() + " supports the fixture's container " + c.name());
        assertTrue(s.supports(c), "and still does when asked again");
        assertEquals(s.priority(), s.priority(), "the priority does not change between calls");
        assertEquals(s.priority(), strategy().priority(), "nor between instances");
        unsupportedContainer().ifPresent(other -> assertFalse(s.supports(other), s.name() + " does not support " + other.name()));
    }

    @Test
    void declaredImageIsWhatTheContainerRuns() {
        ContainerInfo c = container();
        Optional<String> declared = strategy().declaredImage(c);
        assertNotNull(declared, "empty, not null, when nothing is declared");
        declared.ifPresent(d -> assertEquals(ref(c.image()), ref(d), "the definition asks for what the container runs"));
        assertEquals(declared, strategy().declaredImage(c), "reading the definition again gives the same answer");
    }

    // ---- plan ----

    @Test
    void planChangesNothing() {
        Object before = snapshot();
        List<String> calls = List.copyOf(changingCalls());
        ContainerInfo c = container();

        Applied plan = strategy().plan(change());

        assertEquals(before, snapshot(), "a plan changes nothing");
        assertEquals(calls, changingCalls(), "a plan makes no changing call");
        assertEquals(c.name(), plan.containerName());
        assertEquals(newImage(), plan.newImage());
        assertEquals(ref(c.image()), ref(plan.previousImage()), "the plan's previous image is what the container runs");
    }

    // ---- apply, undo, recover ----

    @Test
    void applyMakesTheChange() {
        Object before = snapshot();
        Change change = change();
        Applied plan = strategy().plan(change);
        List<String> stages = new ArrayList<>();

        Applied applied = strategy().apply(change, stored(plan), (stage, progress, message) -> stages.add(stage));

        assertNotEquals(before, snapshot(), "apply changed something");
        assertEquals(newImage(), applied.newImage());
        assertEquals(plan.previousImage(), applied.previousImage());
        assertFalse(stages.isEmpty() || stages.stream().anyMatch(s -> s == null || s.isBlank()), "apply reports its stages: " + stages);
        strategy().declaredImage(container()).ifPresent(d -> assertEquals(ref(newImage()), ref(d),
                "after apply the definition asks for the new image"));
    }

    @Test
    void applyThenUndoReturnsToTheSnapshot() {
        Object before = snapshot();
        Optional<String> declared = strategy().declaredImage(container());
        Change change = change();
        Applied applied = strategy().apply(change, stored(strategy().plan(change)), StageListener.NONE);

        strategy().undo(stored(applied), StageListener.NONE);

        assertEquals(before, snapshot(), "undo puts back exactly what apply changed");
        assertEquals(declared, strategy().declaredImage(container()));
    }

    @Test
    void recoverAfterApplyReturnsToTheSnapshot() {
        Object before = snapshot();
        Change change = change();
        Applied plan = stored(strategy().plan(change));
        strategy().apply(change, plan, StageListener.NONE);

        String said = strategy().recover(plan);

        assertEquals(before, snapshot(), "recover, given the stored plan, puts back what apply changed");
        assertFalse(said == null || said.isBlank(), "recover says what it found and did");
    }

    @Test
    void recoverOfAnUnappliedPlanChangesNothing() {
        Object before = snapshot();
        Applied plan = stored(strategy().plan(change()));
        List<String> calls = List.copyOf(changingCalls());

        String said = strategy().recover(plan);

        assertEquals(before, snapshot(), "nothing was applied, so there is nothing to put back");
        assertEquals(calls, changingCalls(), "recovering an unapplied plan makes no changing call");
        assertFalse(said == null || said.isBlank(), "recover says what it found: " + said);
    }
}
