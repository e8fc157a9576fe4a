package dev.docksmith.runtime.version;

/**
 * Compares a version with a {@code version-min}/{@code version-max} bound. A bound names a line as
 * precisely as it is written: {@code 2.9} as a maximum admits {@code 2.9.5}, and {@code 3.0} as a
 * minimum does not admit {@code 3.0.0-rc1}. Variants and build numbers take no part.
 */
final class VersionBounds {
    private VersionBounds() {
    }

    /** Negative, zero or positive as {@code v} is below, inside or above the line {@code bound} names. */
    static int compare(TagVersion v, TagVersion bound) {
        int n = bound.precision();
        for (int i = 0; i < n; i++) {
            int c = Long.compare(v.part(i), bound.part(i));
            if (c != 0) {
                return c;
            }
        }
        for (int i = n; i < v.precision(); i++) {
            if (v.part(i) != 0) {
                return 0; // 2.9.5 against "2.9": inside the line, whatever the prereleases
            }
        }
        return v.pre().compareTo(bound.pre());
    }
}
