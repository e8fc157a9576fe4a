package dev.docksmith.spi;

/**
 * Receives the stages of an update as a strategy goes through them ({@code updating_compose},
 * {@code pulling_image}, {@code recreating}). The runtime turns each call into an
 * {@code update.progress} event and records the stage with the operation, so that a crash can be
 * repaired knowing where it happened; it records {@code recreating} durably before returning.
 * Called on the thread running the update.
 */
@FunctionalInterface
public interface StageListener {
    /** Ignores every stage. */
    StageListener NONE = (stage, progress, message) -> {
    };

    /**
     * One step of the update.
     *
     * @param stage    a lower-case stage name: {@code updating_compose}, {@code pulling_image},
     *                 {@code recreating}, or a strategy's own
     * @param progress how far the update is, 0 to 100; a hint, as the runtime may show its own figure
     *                 for the stage instead
     * @param message  one line for people, saying what is being done
     */
    void stage(String stage, int progress, String message);
}
