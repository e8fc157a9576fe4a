package dev.docksmith.strategy.compose;

import dev.docksmith.api.DocksmithException;

import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * How {@link ComposeLabelEditor} writes a label so that compose reads it back as the same string:
 * which keys and values it accepts, YAML quoting, and {@code $} doubled, since compose interpolates labels.
 */
final class LabelText {
    /** Written plain: no YAML reader (1.1 or 1.2, block or flow) can take these for anything but this string. */
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z_/][A-Za-z0-9_./@+=-]*");
    /** YAML 1.1 (compose v1's reader) takes these for booleans or null, and compose then rejects the label. */
    private static final Set<String> NOT_STRINGS = Set.of("y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO",
            "true", "True", "TRUE", "false", "False", "FALSE", "on", "On", "ON", "off", "Off", "OFF", "null", "Null", "NULL");
    /** A label key that reads the same in a list ({@code key=value}) and a mapping, and that compose does not interpolate. */
    private static final Pattern KEY = Pattern.compile("[^\\s=$\\p{Cntrl}]+");

    private LabelText() {
    }

    /** Refuses keys and values Docksmith cannot write, and a key both set and removed. */
    static void check(Map<String, String> set, Collection<String> remove) {
        for (Map.Entry<String, String> e : set.entrySet()) {
            checkKey(e.getKey());
            if (e.getValue() == null || e.getValue().chars().anyMatch(Character::isISOControl)) {
                throw new DocksmithException("label " + e.getKey() + ": a value must be one line of text");
            }
            if (remove.contains(e.getKey())) {
                throw new DocksmithException("label " + e.getKey() + " is both set and removed");
            }
        }
        remove.forEach(LabelText::checkKey);
    }

    private static void checkKey(String key) {
        if (key == null || !KEY.matcher(key).matches()) {
            throw new DocksmithException("'" + key + "' is not a label key Docksmith can write (no spaces, '=' or '$')");
        }
    }

    /** Compose interpolates labels: a literal {@code $} is written {@code $$}. */
    static String escape(String value) {
        return value.replace("$", "$$");
    }

    /** {@code value} as a YAML scalar in the given style; plain only where it cannot be read as anything else. */
    static String scalar(String value, ScalarSpan.Quoting quoting) {
        return switch (quoting) {
            case PLAIN -> PLAIN.matcher(value).matches() && !NOT_STRINGS.contains(value) ? value : doubleQuoted(value);
            case SINGLE_QUOTED -> "'" + value.replace("'", "''") + "'";
            default -> doubleQuoted(value);
        };
    }

    private static String doubleQuoted(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
