package dev.docksmith.runtime.version;

import dev.docksmith.api.BadRequestException;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * What a container's {@code docksmith.*} labels allow it to move to.
 *
 * @param ignored         {@code docksmith.ignore}: never checked
 * @param allowLatest     {@code docksmith.allow-latest}: a floating tag is fine as it is (no pinning advice)
 * @param allowPrerelease {@code docksmith.allow-prerelease}: prereleases are candidates
 * @param pinMajor        {@code docksmith.version-pin-major}: stay on the running major
 * @param pinMinor        {@code docksmith.version-pin-minor}: stay on the running major.minor
 * @param pinPatch        {@code docksmith.version-pin-patch}: stay on the running major.minor.patch (builds only)
 * @param tagRegex        {@code docksmith.tag-regex}: only tags in which it finds a match
 * @param versionMin      {@code docksmith.version-min}, inclusive
 * @param versionMax      {@code docksmith.version-max}, inclusive of the whole line it names ({@code 2.9} admits {@code 2.9.5})
 */
public record VersionRules(boolean ignored, boolean allowLatest, boolean allowPrerelease, boolean pinMajor,
                           boolean pinMinor, boolean pinPatch, Optional<Pattern> tagRegex,
                           Optional<TagVersion> versionMin, Optional<TagVersion> versionMax) {
    public static final String IGNORE = "docksmith.ignore";
    public static final String ALLOW_LATEST = "docksmith.allow-latest";
    public static final String ALLOW_PRERELEASE = "docksmith.allow-prerelease";
    public static final String PIN_MAJOR = "docksmith.version-pin-major";
    public static final String PIN_MINOR = "docksmith.version-pin-minor";
    public static final String PIN_PATCH = "docksmith.version-pin-patch";
    public static final String TAG_REGEX = "docksmith.tag-regex";
    public static final String VERSION_MIN = "docksmith.version-min";
    public static final String VERSION_MAX = "docksmith.version-max";

    /** No labels: every newer version of the family is allowed. */
    public static final VersionRules NONE = new VersionRules(false, false, false, false, false, false,
            Optional.empty(), Optional.empty(), Optional.empty());

    /**
     * Reads the labels. Booleans accept {@code true}, {@code 1} and {@code yes} (any case); anything
     * else is false. A label that cannot be honoured is an error naming it, never a silent pass: a
     * broken {@code tag-regex} would otherwise let every tag through.
     *
     * @throws BadRequestException naming the label and why
     */
    public static VersionRules fromLabels(Map<String, String> labels) {
        if (labels == null || labels.isEmpty()) {
            return NONE;
        }
        Optional<TagVersion> min = bound(labels, VERSION_MIN);
        Optional<TagVersion> max = bound(labels, VERSION_MAX);
        if (min.isPresent() && max.isPresent() && VersionBounds.compare(min.get(), max.get()) > 0) {
            throw new BadRequestException("labels " + VERSION_MIN + " (" + min.get().tag() + ") and " + VERSION_MAX
                    + " (" + max.get().tag() + ") admit no version: the minimum is above the maximum");
        }
        return new VersionRules(flag(labels, IGNORE), flag(labels, ALLOW_LATEST), flag(labels, ALLOW_PRERELEASE),
                flag(labels, PIN_MAJOR), flag(labels, PIN_MINOR), flag(labels, PIN_PATCH), regex(labels), min, max);
    }

    /**
     * Whether the labels let a container running {@code current} move to {@code candidate}; pins
     * apply only when the running tag is a version. Family, {@code v} style, prerelease and "newer"
     * are the resolver's rules, not the labels'.
     */
    boolean admits(TagVersion candidate, TagVersion current) {
        if (current != null && !pinned(candidate, current)) {
            return false;
        }
        if (tagRegex.isPresent() && !tagRegex.get().matcher(candidate.tag()).find()) {
            return false;
        }
        if (versionMin.isPresent() && VersionBounds.compare(candidate, versionMin.get()) < 0) {
            return false;
        }
        return versionMax.isEmpty() || VersionBounds.compare(candidate, versionMax.get()) <= 0;
    }

    /** The pins compare only the parts the running tag names: {@code 15} pinned to its minor stays on 15.x. */
    private boolean pinned(TagVersion candidate, TagVersion current) {
        int depth = Math.min(pinPatch ? 3 : pinMinor ? 2 : pinMajor ? 1 : 0, current.precision());
        for (int i = 0; i < depth; i++) {
            if (candidate.part(i) != current.part(i)) {
                return false;
            }
        }
        return true;
    }

    private static boolean flag(Map<String, String> labels, String name) {
        String value = labels.get(name);
        if (value == null) {
            return false;
        }
        String v = value.trim().toLowerCase(Locale.ROOT);
        return v.equals("true") || v.equals("1") || v.equals("yes");
    }

    private static Optional<Pattern> regex(Map<String, String> labels) {
        String value = labels.get(TAG_REGEX);
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Pattern.compile(value.trim()));
        } catch (PatternSyntaxException e) {
            throw new BadRequestException("label " + TAG_REGEX + " is not a valid pattern: " + e.getDescription()
                    + " near index " + e.getIndex() + " of '" + value.trim() + "'", e);
        }
    }

    private static Optional<TagVersion> bound(Map<String, String> labels, String name) {
        String value = labels.get(name);
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        TagVersion v = TagParser.parse(value.trim());
        if (v == null) {
            throw new BadRequestException("label " + name + " is not a version: '" + value.trim()
                    + "' (expected something like 1.2, v2.10.4 or 2024.01.15)");
        }
        return Optional.of(v);
    }
}
