package dev.docksmith.runtime.version;

import java.util.Locale;
import java.util.Set;

/**
 * Which tags belong together. An update keeps the running tag's variant family: {@code alpine},
 * {@code alpine3.18} and {@code alpine3.19} are one family, while {@code bookworm} and
 * {@code bullseye}, or {@code alpine} and {@code alpine-perl}, are not.
 */
final class VariantFamily {
    /**
     * Base images whose numbered releases are one family: maintainers move {@code 16.1-alpine3.18}
     * to {@code 16.2-alpine3.19} under the same app line. Debian and Ubuntu name releases by
     * codename, and a codename change (bullseye to bookworm) is a new family.
     */
    private static final Set<String> NUMBERED_BASES = Set.of("alpine");

    /** Release channels: tags that move, and say so by name rather than by number. */
    private static final Set<String> CHANNELS = Set.of("latest", "stable", "mainline", "edge", "lts", "develop",
            "development", "dev", "nightly", "current", "rolling", "main", "master", "next", "beta", "alpha", "rc",
            "canary", "testing", "unstable", "release", "insiders", "preview");

    private VariantFamily() {
    }

    /** The family of a variant: tokens with base-image release numbers removed ({@code alpine3.19-perl} is {@code alpine-perl}). */
    static String of(String variant) {
        if (variant.isEmpty() || !hasDigit(variant)) {
            return variant; // most variants: nothing to remove, nothing to allocate
        }
        StringBuilder family = new StringBuilder(variant.length());
        int from = 0;
        while (from <= variant.length()) {
            int to = variant.indexOf('-', from);
            to = to < 0 ? variant.length() : to;
            if (family.length() > 0) {
                family.append('-');
            }
            family.append(baseOf(variant, from, to));
            from = to + 1;
        }
        return family.toString();
    }

    /**
     * A tag that is not a version but floats by name ({@code latest}, {@code stable-alpine},
     * {@code alpine}, {@code iron}), or null when the tag looks pinned: anything with a number that
     * is not a base image's release ({@code sha-1a2b3c4}, {@code amd64-1.2.3}, {@code f5c1d59}).
     */
    static FloatingName floatingName(String tag) {
        StringBuilder variant = new StringBuilder();
        int from = 0;
        while (from <= tag.length()) {
            int to = tag.indexOf('-', from);
            to = to < 0 ? tag.length() : to;
            if (to == from) {
                return null;
            }
            String token = tag.substring(from, to);
            if (!CHANNELS.contains(token.toLowerCase(Locale.ROOT))) {
                if (hasDigit(token) && baseOf(token, 0, token.length()).equals(token)) {
                    return null;
                }
                variant.append(variant.length() == 0 ? "" : "-").append(token);
            }
            from = to + 1;
        }
        String v = variant.toString();
        return new FloatingName(v, of(v));
    }

    /** A floating tag's variant as written and its family ({@code stable-alpine3.19}: {@code alpine3.19}, {@code alpine}). */
    record FloatingName(String variant, String family) {
    }

    /** {@code alpine} for {@code alpine3.19}; any other token as it is. */
    private static String baseOf(String text, int from, int to) {
        for (String base : NUMBERED_BASES) {
            int digits = from + base.length();
            if (to > digits && text.startsWith(base, from) && TagParser.isDigit(text.charAt(digits))
                    && numbersOnly(text, digits, to)) {
                return base;
            }
        }
        return text.substring(from, to);
    }

    private static boolean numbersOnly(String text, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c != '.' && !TagParser.isDigit(c)) {
                return false;
            }
        }
        return true;
    }

    private static boolean hasDigit(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (TagParser.isDigit(text.charAt(i))) {
                return true;
            }
        }
        return false;
    }
}
