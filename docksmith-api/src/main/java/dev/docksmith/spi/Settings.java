package dev.docksmith.spi;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Read-only configuration values by their environment names ({@code DOCKSMITH_DATA},
 * {@code CHECK_INTERVAL}). Values do not change while the runtime runs; implementations are
 * thread-safe.
 *
 * <p>A setting Docksmith defines is answered from its configuration (YAML file, environment or
 * flag, with its default filled in), already validated. Any other name, such as a plugin's own
 * {@code MAINTENANCE_WINDOW}, is read from the process environment, blank counting as not set; a
 * plugin validates it itself, in {@link Plugin#start}. The interface has one abstract method, so a
 * test can pass {@code name -> Optional.empty()}.
 */
public interface Settings {
    /**
     * The raw text of a setting.
     *
     * @param name the setting's environment name, such as {@code DOCKSMITH_SCRIPTS_DIR}
     * @return its text, or empty when it is not set
     */
    Optional<String> text(String name);

    /**
     * A setting read as a path.
     *
     * @param name the setting's environment name
     * @return the path, or empty when it is not set
     * @throws java.nio.file.InvalidPathException when the text is not a path
     */
    default Optional<Path> path(String name) {
        return text(name).map(Path::of);
    }

    /**
     * A setting read as a duration ({@code 30s}, {@code 5m}, {@code 1h}, {@code 0}), as
     * {@link Durations#parse} reads it.
     *
     * @param name the setting's environment name
     * @return the duration, or empty when it is not set
     * @throws IllegalArgumentException when the text is not a duration; the message shows the text
     *                                  and the accepted forms but not the name, so add it
     */
    default Optional<Duration> duration(String name) {
        return text(name).map(Durations::parse);
    }

    /**
     * A setting read as a boolean, as {@link YesNo#truthy} reads it.
     *
     * @param name the setting's environment name
     * @return true for {@code true}, {@code 1} or {@code yes} (any case); false for anything else,
     *         and when it is not set
     */
    default boolean flag(String name) {
        return text(name).map(YesNo::truthy).orElse(false);
    }
}
