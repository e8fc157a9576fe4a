package dev.docksmith.runtime.version;

import java.util.Locale;

/** How far an update moves a container, as the API's {@code change_type} reports it. */
public enum ChangeType {
    PATCH, MINOR, MAJOR, DOWNGRADE, UNKNOWN;

    /** The API spelling: {@code patch}, {@code minor}, ... */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Classifies moving from {@code from} to {@code to} by the first numeric part that differs.
     * Dates count as major: a date tag says nothing about compatibility. A move between schemes
     * ({@link VersionScheme}), or to the very same version, has nothing to classify and is {@link #UNKNOWN}.
     */
    public static ChangeType between(TagVersion from, TagVersion to) {
        if (from.scheme() != to.scheme()) {
            return UNKNOWN;
        }
        int order = to.compareTo(from);
        if (order < 0) {
            return DOWNGRADE;
        }
        if (order == 0) {
            return UNKNOWN;
        }
        if (from.date() || to.date()) {
            return MAJOR;
        }
        int parts = Math.max(from.precision(), to.precision());
        for (int i = 0; i < parts; i++) {
            if (from.part(i) != to.part(i)) {
                return i == 0 ? MAJOR : i == 1 ? MINOR : PATCH;
            }
        }
        // Same numbers: only the prerelease or the build moved (3.0.0-rc1 -> 3.0.0, -ls280 -> -ls285).
        return PATCH;
    }
}
