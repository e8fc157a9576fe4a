package dev.docksmith.runtime.version;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the resolver found for one running tag.
 *
 * @param currentTag            the running tag
 * @param currentVersion        its version text ({@code 1.25.3}), or the tag itself when it is not a version ({@code latest})
 * @param floating              whether the tag moves: a channel ({@code latest}, {@code stable-alpine}) or a partial
 *                              version that the registry's list refines ({@code 16} next to {@code 16.2}); the
 *                              checker compares digests for these
 * @param latestTag             the newest allowed tag strictly newer than the running one; empty when there is
 *                              none, and always empty for channels (nothing is "newer" than {@code latest})
 * @param latestVersion         the version text of {@code latestTag}, or {@code currentVersion} when empty
 * @param changeType            current to latest; {@link ChangeType#UNKNOWN} when there is no latest or nothing to compare
 * @param candidatesNewestFirst allowed version tags of the running tag's family, newest first, without the running
 *                              tag itself; for a floating partial version only the tags inside its line
 *                              ({@code 16.2}, {@code 16.1} for {@code 16}); for a channel, numbered releases before
 *                              date tags. The checker looks for the one whose digest matches.
 */
public record Resolution(String currentTag, String currentVersion, boolean floating, Optional<String> latestTag,
                         String latestVersion, ChangeType changeType, List<String> candidatesNewestFirst) {

    public Resolution {
        Objects.requireNonNull(currentTag, "currentTag");
        Objects.requireNonNull(currentVersion, "currentVersion");
        Objects.requireNonNull(latestTag, "latestTag");
        Objects.requireNonNull(latestVersion, "latestVersion");
        Objects.requireNonNull(changeType, "changeType");
        candidatesNewestFirst = List.copyOf(candidatesNewestFirst);
    }

    /** Nothing to move to, nothing to match digests against. */
    static Resolution nothing(String tag, String version, boolean floating) {
        return new Resolution(tag, version, floating, Optional.empty(), version, ChangeType.UNKNOWN, List.of());
    }

    /** Whether a newer allowed tag exists. */
    public boolean updateAvailable() {
        return latestTag.isPresent();
    }
}
