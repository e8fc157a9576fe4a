package dev.docksmith.runtime.version;

import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * One image tag read as a version: {@code v2.10.4}, {@code 16.1-alpine3.18},
 * {@code 1.40.0.7998-f5c1d59-ls280}, {@code 20240115}, {@code 3.0.0-rc1}.
 *
 * <p>The natural order compares the numeric parts numerically (missing parts count as 0, so
 * {@code 1.10 > 1.9} and {@code 7.4 == 7.4.0}), then the prerelease (a release is above its
 * prereleases), then the build number. Variant, {@code v} and hashes do not take part: deciding
 * which of two equal versions to offer is the resolver's job.
 *
 * @param tag     the tag as published
 * @param version the version text without {@code v}, variant or build metadata ({@code 1.26.0},
 *                {@code 3.0.0-rc1}); dates are written {@code 2025.01.08} whatever their form
 * @param vPrefix whether the tag starts with {@code v}
 * @param precision how many numeric parts the tag names, 1 to 4 ({@code 16} names one)
 * @param major     numeric part 1 (a date's year)
 * @param minor     numeric part 2, 0 when not named (a date's month)
 * @param patch     numeric part 3, 0 when not named (a date's day)
 * @param revision  numeric part 4, 0 when not named ({@code 7998} in {@code 1.40.0.7998})
 * @param pre       the prerelease, {@link Prerelease#NONE} for a release
 * @param variant   the flavour suffix as written ({@code alpine3.19}, {@code alpine-perl}, {@code iron-alpine}), empty when none
 * @param family    the variant with base-image release numbers removed ({@code alpine} for {@code alpine3.19}); an update keeps it
 * @param build     the build number ({@code -ls295}, {@code -r1}, {@code -2}), -1 when none
 * @param date      whether the version is a date ({@code YYYYMMDD}, {@code YYYY-MM-DD}, {@code YYYY.MM.DD})
 */
public record TagVersion(String tag, String version, boolean vPrefix, int precision, long major, long minor, long patch,
                         long revision, Prerelease pre, String variant, String family, long build, boolean date)
        implements Comparable<TagVersion> {

    public TagVersion {
        Objects.requireNonNull(tag, "tag");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(pre, "pre");
        Objects.requireNonNull(variant, "variant");
        Objects.requireNonNull(family, "family");
        if (precision < 1 || precision > 4) {
            throw new IllegalArgumentException("a version has 1 to 4 numeric parts, not " + precision);
        }
    }

    /**
     * Reads a tag; empty for meta tags ({@code latest}, {@code edge}), hashes, prefixed tags
     * ({@code amd64-1.2.3}, {@code version-1.2.3}) and anything else that is not a version.
     */
    public static Optional<TagVersion> parse(String tag) {
        return Optional.ofNullable(TagParser.parse(tag));
    }

    /** The numeric parts the tag names, as a new array. */
    public long[] parts() {
        long[] all = {major, minor, patch, revision};
        return precision == 4 ? all : Arrays.copyOf(all, precision);
    }

    /** Numeric part {@code i} (0-based), 0 past the last one ({@code 16} reads as {@code 16.0.0}). */
    public long part(int i) {
        return switch (i) {
            case 0 -> major;
            case 1 -> minor;
            case 2 -> patch;
            case 3 -> revision;
            default -> 0;
        };
    }

    public boolean prerelease() {
        return !pre.isRelease();
    }

    /**
     * Whether the tag names a line rather than one release ({@code 16}, {@code 1.25-alpine}): such
     * tags are re-pushed when the line moves. The resolver decides with the tag list whether a given
     * tag really floats ({@link Resolution#floating()}).
     */
    public boolean floating() {
        return !date && precision < 3;
    }

    /**
     * Whether the version counts time rather than releases: a date, or a year-first scheme such as
     * {@code 2024.10.1}. Those are never compared with release numbers ({@code 20240329} is not newer
     * than {@code 3.19.0}; they are different schemes).
     */
    public boolean calendar() {
        return date || (major >= 1900 && major <= 2999);
    }

    /** Which numbering the tag uses; the resolver compares only tags of one scheme. */
    public VersionScheme scheme() {
        if (!calendar()) {
            return VersionScheme.RELEASE;
        }
        if (date) {
            char separator = tag.charAt((vPrefix ? 1 : 0) + 4);
            if (separator == '-') {
                return VersionScheme.DASHED_DATE;
            }
            if (separator != '.') {
                return VersionScheme.COMPACT_DATE;
            }
        }
        return VersionScheme.CALENDAR;
    }

    /** Whether this tag names a release inside the line {@code line} names ({@code 16.2} in {@code 16}). */
    public boolean refines(TagVersion line) {
        if (precision <= line.precision) {
            return false;
        }
        for (int i = 0; i < line.precision; i++) {
            if (part(i) != line.part(i)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int compareTo(TagVersion other) {
        int c = Long.compare(major, other.major);
        c = c != 0 ? c : Long.compare(minor, other.minor);
        c = c != 0 ? c : Long.compare(patch, other.patch);
        c = c != 0 ? c : Long.compare(revision, other.revision);
        c = c != 0 ? c : pre.compareTo(other.pre);
        return c != 0 ? c : Long.compare(build, other.build);
    }
}
