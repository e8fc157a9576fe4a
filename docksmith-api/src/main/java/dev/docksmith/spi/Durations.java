package dev.docksmith.spi;

import java.time.Duration;
import java.util.Locale;

/**
 * Parsing shared by settings and labels, so every plugin reads {@code 5m} and {@code yes} the same
 * way. Stateless and thread-safe.
 */
public final class Durations {
    private Durations() {
    }

    /**
     * Parses {@code 0}, {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}, {@code 2d}, or a bare number of
     * seconds. Units are case-insensitive; surrounding blanks are ignored.
     *
     * @param text the text to parse; null is treated as empty
     * @return the duration, zero or positive
     * @throws IllegalArgumentException with the text and the accepted forms, when it is null, empty,
     *                                  negative or not one of these forms
     */
    public static Duration parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        try {
            if (t.endsWith("ms")) {
                return nonNegative(Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2))), text);
            }
            if (t.isEmpty()) {
                throw new NumberFormatException();
            }
            char unit = t.charAt(t.length() - 1);
            if (Character.isDigit(unit)) {
                return nonNegative(Duration.ofSeconds(Long.parseLong(t)), text);
            }
            long n = Long.parseLong(t.substring(0, t.length() - 1));
            return nonNegative(switch (unit) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                case 'd' -> Duration.ofDays(n);
                default -> throw new NumberFormatException();
            }, text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a duration (use e.g. 0, 500ms, 30s, 5m, 1h, 2d)");
        }
    }

    private static Duration nonNegative(Duration d, String text) {
        if (d.isNegative()) {
            throw new IllegalArgumentException("'" + text + "' is negative; durations must be 0 or more");
        }
        return d;
    }

    /**
     * Reads a yes/no value; kept for plugins built against API 1.
     *
     * @param text the text to read; may be null
     * @return as {@link YesNo#truthy(String)}
     * @deprecated not a duration: use {@link YesNo#truthy(String)}
     */
    @Deprecated
    public static boolean truthy(String text) {
        return YesNo.truthy(text);
    }
}
