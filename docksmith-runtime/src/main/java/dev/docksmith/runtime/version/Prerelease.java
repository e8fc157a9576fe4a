package dev.docksmith.runtime.version;

/**
 * The prerelease part of a version ({@code rc1}, {@code beta.2}, {@code alpha}).
 *
 * @param label  the text as written, empty for a release
 * @param rank   dev &lt; alpha &lt; beta &lt; pre/preview &lt; rc &lt; release
 * @param number the number after the word, 0 when none ({@code rc} sorts before {@code rc1})
 */
public record Prerelease(String label, int rank, long number) implements Comparable<Prerelease> {
    /** A release: above every prerelease of the same numbers. */
    public static final Prerelease NONE = new Prerelease("", 5, 0);

    // Longer words first so "preview" is not read as "pre" + garbage.
    private static final String[] WORDS = {"preview", "alpha", "beta", "pre", "dev", "rc"};
    private static final int[] RANKS = {3, 1, 2, 3, 0, 4};

    public boolean isRelease() {
        return rank == NONE.rank;
    }

    @Override
    public int compareTo(Prerelease other) {
        int c = Integer.compare(rank, other.rank);
        return c != 0 ? c : Long.compare(number, other.number);
    }

    /**
     * Reads {@code text[from, to)} as a prerelease: a word, optionally a dot, optionally digits, and
     * nothing else. Returns null otherwise (no exceptions: this runs for every tag of a repository).
     */
    static Prerelease read(String text, int from, int to) {
        for (int w = 0; w < WORDS.length; w++) {
            String word = WORDS[w];
            if (to - from < word.length() || !text.regionMatches(true, from, word, 0, word.length())) {
                continue;
            }
            int i = from + word.length();
            boolean dot = i < to && text.charAt(i) == '.';
            if (dot) {
                i++;
            }
            int digitsFrom = i;
            long number = 0;
            while (i < to && i - digitsFrom < 18 && TagParser.isDigit(text.charAt(i))) {
                number = number * 10 + (text.charAt(i) - '0');
                i++;
            }
            // Anything left over ("rc1a", "beta.", "development") makes it not a prerelease.
            if (i == to && !(dot && i == digitsFrom)) {
                return new Prerelease(text.substring(from, to), RANKS[w], number);
            }
        }
        return null;
    }
}
