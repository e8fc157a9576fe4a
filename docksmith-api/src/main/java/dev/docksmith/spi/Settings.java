package dev.docksmith.spi;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** Read-only configuration values by their documented names ({@code DOCKSMITH_DATA}, {@code CHECK_INTERVAL}). */
public interface Settings {
    /** The raw text of a setting, if set. */
    Optional<String> text(String name);

    /** A setting read as a path. */
    default Optional<Path> path(String name) {
        return text(name).map(Path::of);
    }

    /** A setting read as a duration ({@code 30s}, {@code 5m}, {@code 1h}, {@code 0}). */
    default Optional<Duration> duration(String name) {
        return text(name).map(Durations::parse);
    }

    /** A setting read as a boolean ({@code true}, {@code 1}, {@code yes} are true). */
    default boolean flag(String name) {
        return text(name).map(Durations::truthy).orElse(false);
    }
}
