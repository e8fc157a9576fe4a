package dev.docksmith.runtime.version;

/**
 * Reads tags into {@link TagVersion}s with a hand-written scanner: the checker parses every tag of
 * every repository on each check, so this compiles no pattern and throws nothing.
 *
 * <p>Grammar: optional {@code v}; a core (a date, or 1 to 4 dot-separated numbers); optionally a
 * prerelease written against it ({@code 2.0.0rc1}); then {@code -}-separated tokens. The first token
 * may be a prerelease ({@code -rc1}, {@code -beta.2}); {@code lsNNN}, {@code rNNN} and bare numbers
 * are build numbers; hex strings of 7 to 40 characters with a digit are git hashes (ignored);
 * everything else is the variant ({@code alpine-perl}).
 */
final class TagParser {
    /** Docker's own limit on a tag's length. */
    private static final int MAX_TAG = 128;
    /** More digits than this do not fit a long: such a "number" is not a version. */
    private static final int MAX_DIGITS = 18;

    private final String tag;
    private final int len;
    /** The numeric parts read so far; unnamed parts stay 0. */
    private final long[] scratch = new long[4];
    private int pos;

    private TagParser(String tag, int start) {
        this.tag = tag;
        this.len = tag.length();
        this.pos = start;
    }

    static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** The version a tag names, or null when it names none. */
    static TagVersion parse(String tag) {
        if (tag == null || tag.isEmpty() || tag.length() > MAX_TAG) {
            return null;
        }
        int start = tag.charAt(0) == 'v' || tag.charAt(0) == 'V' ? 1 : 0;
        if (start >= tag.length() || !isDigit(tag.charAt(start))) {
            return null; // latest, edge, amd64-1.2.3, version-1.2.3, hashes starting with a letter
        }
        return new TagParser(tag, start).read(start);
    }

    private TagVersion read(int start) {
        long[] date = DateCore.read(tag, start);
        long[] parts = scratch;
        int precision;
        if (date != null) {
            parts = date;
            precision = 3;
            pos = start + DateCore.length(tag, start);
        } else {
            precision = numbers();
            if (precision < 0) {
                return null;
            }
        }
        int coreEnd = pos;
        Prerelease pre = Prerelease.NONE;
        int preEnd = coreEnd;
        if (pos < len && tag.charAt(pos) != '-') {
            // Only a prerelease may touch the numbers ("2.0.0rc1"); "16alpine" or "1.2.3_x" is no version.
            int to = tokenEnd(pos);
            pre = Prerelease.read(tag, pos, to);
            if (pre == null) {
                return null;
            }
            pos = preEnd = to;
        }
        long build = -1;
        int variantFrom = -1;
        int variantTo = -1;
        StringBuilder longVariant = null; // only for variants of several tokens ("alpine-perl")
        boolean firstToken = true;
        while (pos < len) {
            int from = pos + 1; // past the '-'
            int to = tokenEnd(from);
            if (to == from) {
                return null; // "1.2.3-" or "1.2.3--x"
            }
            Prerelease tokenPre = firstToken && pre == Prerelease.NONE ? Prerelease.read(tag, from, to) : null;
            long number;
            if (tokenPre != null) {
                pre = tokenPre;
                preEnd = to;
            } else if ((number = buildNumber(from, to)) >= 0) {
                build = number;
            } else if (!isHash(from, to)) { // a git hash says which commit, not which is newer: it is dropped
                if (variantFrom < 0) {
                    variantFrom = from;
                    variantTo = to;
                } else {
                    if (longVariant == null) {
                        longVariant = new StringBuilder().append(tag, variantFrom, variantTo);
                    }
                    longVariant.append('-').append(tag, from, to);
                }
            }
            firstToken = false;
            pos = to;
        }
        String variant = longVariant != null ? longVariant.toString()
                : variantFrom < 0 ? "" : tag.substring(variantFrom, variantTo);
        String version = date != null ? DateCore.text(date) + tag.substring(coreEnd, preEnd) : tag.substring(start, preEnd);
        return new TagVersion(tag, version, start == 1, precision, parts[0], parts[1], parts[2], parts[3], pre, variant,
                VariantFamily.of(variant), build, date != null);
    }

    /** Reads 1 to 4 dot-separated numbers at {@code pos} into {@link #scratch}; how many, or -1 when they are no version core. */
    private int numbers() {
        int count = 0;
        while (true) {
            if (count == 4) {
                return -1; // a fifth part: 1.2.3.4.5 is no version we know
            }
            int from = pos;
            long n = 0;
            while (pos < len && isDigit(tag.charAt(pos))) {
                if (pos - from == MAX_DIGITS) {
                    return -1;
                }
                n = n * 10 + (tag.charAt(pos) - '0');
                pos++;
            }
            if (pos == from) {
                return -1; // "1..2", "1.", "1.x"
            }
            scratch[count++] = n;
            if (pos < len && tag.charAt(pos) == '.') {
                pos++;
            } else {
                return count;
            }
        }
    }

    private int tokenEnd(int from) {
        int dash = tag.indexOf('-', from);
        return dash < 0 ? len : dash;
    }

    /** {@code lsNNN} (LinuxServer), {@code rNNN} (Alpine-style revision) or a bare number; -1 when none of them. */
    private long buildNumber(int from, int to) {
        int digits = from;
        if (to - from > 2 && tag.charAt(from) == 'l' && tag.charAt(from + 1) == 's') {
            digits = from + 2;
        } else if (to - from > 1 && tag.charAt(from) == 'r') {
            digits = from + 1;
        }
        if (to - digits > MAX_DIGITS) {
            return -1; // too long for a build number: a numeric hash
        }
        long n = 0;
        for (int i = digits; i < to; i++) {
            char c = tag.charAt(i);
            if (!isDigit(c)) {
                return -1;
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }

    /** A git hash: 7 to 40 lower-case hex characters with at least one digit (so words like "defaced" stay variants). */
    private boolean isHash(int from, int to) {
        if (to - from < 7 || to - from > 40) {
            return false;
        }
        boolean digit = false;
        for (int i = from; i < to; i++) {
            char c = tag.charAt(i);
            if (isDigit(c)) {
                digit = true;
            } else if (c < 'a' || c > 'f') {
                return false;
            }
        }
        return digit;
    }
}
