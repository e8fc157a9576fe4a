package dev.docksmith.runtime.version;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Picks the newest tag a container may move to. A candidate must:
 * <ul>
 *   <li>be a version of the running tag's variant family and {@link VersionScheme} (dates are not
 *       compared with release numbers);</li>
 *   <li>keep the running {@code v} style when a newer allowed tag in that style exists (so
 *       {@code v2.10.0} moves to {@code v2.11.0}, not to a {@code 2.12.0} published beside it), while a
 *       repository that switched style ({@code 1.2.3}, then {@code v1.3.0}) can still be followed;</li>
 *   <li>be at least as precise as the running tag: a pinned {@code 7.2.3} is never offered the
 *       floating alias {@code 8}, nor a CI build number such as {@code 1243};</li>
 *   <li>not be a prerelease, unless {@code docksmith.allow-prerelease} or the running tag is one;</li>
 *   <li>pass the labels ({@link VersionRules#admits}) and, to be offered, be strictly newer:
 *       never a downgrade, never the same version under another name.</li>
 * </ul>
 */
public final class VersionResolver {
    private VersionResolver() {
    }

    public static Resolution resolve(String currentTag, Collection<String> availableTags, VersionRules rules) {
        Objects.requireNonNull(currentTag, "currentTag");
        Collection<String> tags = availableTags == null ? List.of() : availableTags;
        VersionRules r = rules == null ? VersionRules.NONE : rules;
        TagVersion current = TagParser.parse(currentTag);
        if (r.ignored()) {
            return Resolution.nothing(currentTag, current == null ? currentTag : current.version(), false);
        }
        return current == null ? forName(currentTag, tags, r) : forVersion(current, tags, r);
    }

    /** A running version: the newest allowed strictly newer tag, and the family's candidates. */
    private static Resolution forVersion(TagVersion current, Collection<String> tags, VersionRules rules) {
        List<TagVersion> family = new ArrayList<>();
        boolean refined = false;
        VersionScheme scheme = current.scheme();
        for (String tag : tags) {
            TagVersion v = TagParser.parse(tag);
            if (v == null || !v.family().equals(current.family()) || v.scheme() != scheme) {
                continue;
            }
            refined |= v.refines(current);
            if (!v.tag().equals(current.tag())) {
                family.add(v);
            }
        }
        boolean prereleaseOk = rules.allowPrerelease() || current.prerelease();
        List<TagVersion> allowed = new ArrayList<>();
        boolean newerInStyle = false;
        for (TagVersion v : family) {
            if (v.precision() >= current.precision() && (prereleaseOk || !v.prerelease()) && rules.admits(v, current)) {
                allowed.add(v);
                newerInStyle |= v.vPrefix() == current.vPrefix() && v.compareTo(current) > 0;
            }
        }
        if (newerInStyle) {
            allowed.removeIf(v -> v.vPrefix() != current.vPrefix());
        }
        allowed.sort(CandidateOrder.forVersion(current));
        Optional<TagVersion> latest = allowed.isEmpty() || allowed.get(0).compareTo(current) <= 0
                ? Optional.empty() : Optional.of(allowed.get(0));
        List<String> candidates = new ArrayList<>(allowed.size());
        for (TagVersion v : allowed) {
            // A floating line ("16") is re-pushed as one of its own releases: only those can match its digest.
            if (!refined || v.refines(current)) {
                candidates.add(v.tag());
            }
        }
        return new Resolution(current.tag(), current.version(), refined, latest.map(TagVersion::tag),
                latest.map(TagVersion::version).orElse(current.version()),
                latest.map(l -> ChangeType.between(current, l)).orElse(ChangeType.UNKNOWN), candidates);
    }

    /**
     * A running tag that is not a version. A channel ({@code latest}, {@code stable-alpine}) floats:
     * nothing is newer than it by number, so the checker compares digests and gets the family's
     * releases to pin to. Anything else ({@code sha-1a2b3c4}) has nothing to compare with.
     */
    private static Resolution forName(String currentTag, Collection<String> tags, VersionRules rules) {
        VariantFamily.FloatingName name = VariantFamily.floatingName(currentTag);
        if (name == null) {
            return Resolution.nothing(currentTag, currentTag, false);
        }
        List<TagVersion> allowed = new ArrayList<>();
        for (String tag : tags) {
            TagVersion v = TagParser.parse(tag);
            if (v != null && v.family().equals(name.family()) && (rules.allowPrerelease() || !v.prerelease())
                    && rules.admits(v, null)) {
                allowed.add(v);
            }
        }
        allowed.sort(CandidateOrder.forChannel(name.variant()));
        List<String> candidates = new ArrayList<>(allowed.size());
        allowed.forEach(v -> candidates.add(v.tag()));
        return new Resolution(currentTag, currentTag, true, Optional.empty(), currentTag, ChangeType.UNKNOWN, candidates);
    }
}
