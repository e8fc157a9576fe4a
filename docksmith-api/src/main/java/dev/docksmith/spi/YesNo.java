package dev.docksmith.spi;

import java.util.Locale;

/** Reads the yes/no values of settings and labels ({@code DOCKER_TLS_VERIFY=1}, {@code docksmith.ignore=true}). */
public final class YesNo {
    private YesNo() {
    }

    /**
     * Reads a yes/no value.
     *
     * @param text the text to read; may be null
     * @return true for {@code true}, {@code 1}, {@code yes} (any case, blanks ignored); false for
     *         anything else, including null
     */
    public static boolean truthy(String text) {
        if (text == null) {
            return false;
        }
        String t = text.trim().toLowerCase(Locale.ROOT);
        return t.equals("true") || t.equals("1") || t.equals("yes");
    }
}
