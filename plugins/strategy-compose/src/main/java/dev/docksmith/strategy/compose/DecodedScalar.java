package dev.docksmith.strategy.compose;

import java.util.Arrays;

/**
 * A scalar's value with, for each char, where it is written in the scalar's source text, and
 * whether it is written as itself (so it can be replaced by other plain chars): how the editor maps
 * the part of an image reference to change back to the characters in the file.
 *
 * @param text    the value
 * @param offsets for each char of {@code text}, and one past its end, the offset in the source text
 * @param asIs    for each char of {@code text}, true when written as itself rather than escaped
 */
record DecodedScalar(String text, int[] offsets, boolean[] asIs) {
    /** True when value chars [a, b) are each written as themselves, contiguously. */
    boolean writtenAsIs(int a, int b) {
        if (a < 0 || b > text.length() || a > b) {
            return false;
        }
        for (int i = a; i < b; i++) {
            if (!asIs[i]) {
                return false;
            }
        }
        return true;
    }

    /** Where value char {@code i} (or the end, for {@code text.length()}) is written in the source text. */
    int offset(int i) {
        return offsets[i];
    }

    /** A YAML scalar on one line; null for block scalars and multi-line (folded) ones. */
    static DecodedScalar yaml(String source, ScalarSpan.Quoting quoting) {
        if (source.indexOf('\n') >= 0 || source.indexOf('\r') >= 0) {
            return null;
        }
        return switch (quoting) {
            case PLAIN -> decode(source, 0, source.length(), (char) 0, false, false);
            case SINGLE_QUOTED -> decode(source, 1, source.length() - 1, '\'', true, false);
            case DOUBLE_QUOTED -> decode(source, 1, source.length() - 1, '"', false, true);
            default -> null;
        };
    }

    /** An env file value as {@link EnvFile} reads it. */
    static DecodedScalar env(String source, ScalarSpan.Quoting quoting) {
        return switch (quoting) {
            case PLAIN -> decode(source, 0, source.length(), (char) 0, false, false);
            case SINGLE_QUOTED -> decode(source, 1, source.length() - 1, '\'', false, false);
            case DOUBLE_QUOTED -> decode(source, 1, source.length() - 1, '"', false, true);
            default -> null;
        };
    }

    private static DecodedScalar decode(String s, int from, int to, char quote, boolean doubledQuote, boolean backslash) {
        if (to < from) {
            return null;
        }
        StringBuilder text = new StringBuilder();
        int[] offsets = new int[to - from + 1];
        boolean[] asIs = new boolean[to - from];
        int n = 0;
        int i = from;
        while (i < to) {
            char c = s.charAt(i);
            offsets[n] = i;
            if (doubledQuote && c == quote && i + 1 < to && s.charAt(i + 1) == quote) {
                text.append(quote);
                asIs[n++] = false;
                i += 2;
            } else if (backslash && c == '\\') {
                if (i + 1 >= to) {
                    return null;
                }
                char e = s.charAt(i + 1);
                if (e != '\\' && e != '"' && e != '/' && e != '$') {
                    return null; // \n, \t, \x..: not worth mapping for an image reference
                }
                text.append(e);
                asIs[n++] = false;
                i += 2;
            } else {
                text.append(c);
                asIs[n++] = true;
                i++;
            }
        }
        offsets[n] = to;
        return new DecodedScalar(text.toString(), Arrays.copyOf(offsets, n + 1), Arrays.copyOf(asIs, n));
    }
}
