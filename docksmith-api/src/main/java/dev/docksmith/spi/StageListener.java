package dev.docksmith.spi;

/** Receives the stages of an update as a strategy goes through them ({@code updating_compose}, {@code pulling_image}, {@code recreating}). */
@FunctionalInterface
public interface StageListener {
    /** Ignores every stage. */
    StageListener NONE = (stage, progress, message) -> {
    };

    void stage(String stage, int progress, String message);
}
