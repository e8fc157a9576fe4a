package dev.docksmith.runtime.version;

import java.util.Comparator;

/**
 * Newest-first orders for candidates. Equal versions are common ({@code 7.4} and {@code 7.4.0},
 * {@code 16.2-alpine} and {@code 16.2-alpine3.19}, {@code v3.1.2} and {@code 3.1.2}); the tie-breaks
 * pick the tag closest to what the container runs, so an update changes as little as it can.
 */
final class CandidateOrder {
    private CandidateOrder() {
    }

    /** For a running version: newest, then same variant, same precision, more precise, same {@code v} style. */
    static Comparator<TagVersion> forVersion(TagVersion current) {
        return (a, b) -> {
            int c = b.compareTo(a);
            if (c == 0) {
                c = preferTrue(a.variant().equals(current.variant()), b.variant().equals(current.variant()));
            }
            if (c == 0) {
                c = preferTrue(a.precision() == current.precision(), b.precision() == current.precision());
            }
            if (c == 0) {
                c = Integer.compare(b.precision(), a.precision());
            }
            if (c == 0) {
                c = preferTrue(a.vPrefix() == current.vPrefix(), b.vPrefix() == current.vPrefix());
            }
            return c != 0 ? c : a.tag().compareTo(b.tag());
        };
    }

    /**
     * For a channel ({@code latest}): release numbers before calendar versions before date tags
     * ({@link VersionScheme} order), because a channel follows
     * releases (alpine's {@code 20240329} tags are edge snapshots, {@code latest} is 3.19.x); then
     * newest, same variant, and the most precise tag, the one worth pinning to.
     */
    static Comparator<TagVersion> forChannel(String variant) {
        return (a, b) -> {
            int c = Integer.compare(a.scheme().ordinal(), b.scheme().ordinal());
            if (c == 0) {
                c = b.compareTo(a);
            }
            if (c == 0) {
                c = preferTrue(a.variant().equals(variant), b.variant().equals(variant));
            }
            if (c == 0) {
                c = Integer.compare(b.precision(), a.precision());
            }
            return c != 0 ? c : a.tag().compareTo(b.tag());
        };
    }

    private static int preferTrue(boolean a, boolean b) {
        return Boolean.compare(b, a);
    }
}
