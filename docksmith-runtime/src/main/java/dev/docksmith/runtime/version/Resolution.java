package dev.docksmith.runtime.version;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the resolver found for one running tag.
 *
 * <p>Two spellings of each answer: the tags ({@link #currentTag}, {@link #latestTag}, {@link #targetTag()}),
 * which are what the wire's {@code current_version} / {@code latest_version} carry because a client sends
 * them back as {@code POST /api/update}'s {@code version}; and the parsed version texts
 * ({@link #currentVersion}, {@link #latestVersion}), for display and for comparing with the version-tag
 * fixtures' {@code expected_version}. {@code 1.27.1} is the version of {@code 1.27.1-alpine} but a
 * tag of another image family, so the two must never be mixed up.
 *
 * @param currentTag            the running tag
 * @param currentVersion        its parsed version text ({@code 1.25.3} for {@code 1.25.3-alpine}), or the tag
 *                              itself when it is not a version ({@code latest}); not a tag to send back
 * @param floating              whether the tag moves: a channel ({@code latest}, {@code stable-alpine}) or a partial
 *                              version that the registry's list refines ({@code 16} next to {@code 16.2}); the
 *                              checker compares digests for these
 * @param latestTag             the newest allowed tag strictly newer than the running one; empty when there is
 *                              none, and always empty for channels (nothing is "newer" than {@code latest})
 * @param latestVersion         the parsed version text of {@code latestTag}, or {@code currentVersion} when empty;
 *                              not a tag to send back (see {@link #targetTag()})
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

    /** The tag to move to, exactly as the registry spells it: {@code latestTag}, or the running tag when there is none. */
    public String targetTag() {
        return latestTag.orElse(currentTag);
    }

    /** Whether a newer allowed tag exists. */
    public boolean updateAvailable() {
        return latestTag.isPresent();
    }
}
