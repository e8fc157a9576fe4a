package dev.docksmith.runtime.version;

/**
 * Recognises a date at the start of a version: {@code 20240115}, {@code 2024-01-15} or
 * {@code 2024.01.15}, each followed by the end of the tag or a {@code -}. Only real calendar dates
 * qualify, so a build number such as {@code 12345678} stays a number.
 */
final class DateCore {
    private DateCore() {
    }

    /** Year, month, day and a 0 revision of the date at {@code at}, or null when there is none. */
    static long[] read(String tag, int at) {
        int len = tag.length();
        int end;
        if (digits(tag, at, 8)) {
            end = at + 8;
        } else if (digits(tag, at, 4) && at + 10 <= len && separated(tag, at)) {
            end = at + 10;
        } else {
            return null;
        }
        if (end < len && tag.charAt(end) != '-') {
            return null; // 2024.01.15.1 is a four-part number, 202401151230 a timestamp
        }
        boolean compact = end == at + 8;
        long year = number(tag, at, 4);
        long month = number(tag, compact ? at + 4 : at + 5, 2);
        long day = number(tag, compact ? at + 6 : at + 8, 2);
        if (year < 1900 || year > 2999 || month < 1 || month > 12 || day < 1 || day > 31) {
            return null;
        }
        return new long[] {year, month, day, 0};
    }

    /** How many characters the date read by {@link #read} spans. */
    static int length(String tag, int at) {
        return TagParser.isDigit(tag.charAt(at + 4)) ? 8 : 10;
    }

    /** The date as {@code YYYY.MM.DD}, whichever form the tag used. */
    static String text(long[] ymd) {
        return ymd[0] + (ymd[1] < 10 ? ".0" : ".") + ymd[1] + (ymd[2] < 10 ? ".0" : ".") + ymd[2];
    }

    /** {@code YYYY-MM-DD} or {@code YYYY.MM.DD}: the same separator twice, two digits after each. */
    private static boolean separated(String tag, int at) {
        char sep = tag.charAt(at + 4);
        return (sep == '-' || sep == '.') && tag.charAt(at + 7) == sep
                && digits(tag, at + 5, 2) && digits(tag, at + 8, 2);
    }

    private static boolean digits(String tag, int at, int count) {
        if (at + count > tag.length()) {
            return false;
        }
        for (int i = at; i < at + count; i++) {
            if (!TagParser.isDigit(tag.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static long number(String tag, int at, int count) {
        long n = 0;
        for (int i = at; i < at + count; i++) {
            n = n * 10 + (tag.charAt(i) - '0');
        }
        return n;
    }
}
