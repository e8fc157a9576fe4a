package dev.docksmith.strategy.compose;

import dev.docksmith.strategy.compose.Substitution.Origin;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InterpolatorTest {
    private static final Path ENV = Path.of("/p/.env");
    private final Variables vars = new Variables(
            Map.of("SHELL_TAG", "9.9", "EMPTY", "", "BOTH", "from-shell"),
            Map.of("FILE_TAG", new EnvEntry("FILE_TAG", "1.2.3", ENV, 4, null),
                    "BOTH", new EnvEntry("BOTH", "from-file", ENV, 5, null)));
    private final Interpolator interpolator = new Interpolator(vars::lookup);

    private String value(String template) {
        return interpolator.interpolate(template).value();
    }

    @Test
    void plainAndBracedNames() {
        assertEquals("app:9.9", value("app:$SHELL_TAG"));
        assertEquals("app:9.9", value("app:${SHELL_TAG}"));
        assertEquals("app:1.2.3-x", value("app:${FILE_TAG}-x"));
        assertEquals("app:9.9.x", value("app:$SHELL_TAG.x"), "a name stops at the first character that cannot be in one");
    }

    @Test
    void defaultsDistinguishUnsetFromEmpty() {
        assertEquals("d", value("${MISSING:-d}"));
        assertEquals("d", value("${MISSING-d}"));
        assertEquals("d", value("${EMPTY:-d}"), ":- treats empty as unset");
        assertEquals("", value("${EMPTY-d}"), "- keeps a set empty value");
        assertEquals("9.9", value("${SHELL_TAG:-d}"));
        assertEquals("", value("${MISSING}"), "unset without default is empty, as in compose");
    }

    @Test
    void alternativesAndNestedDefaults() {
        assertEquals("alt", value("${SHELL_TAG:+alt}"));
        assertEquals("", value("${EMPTY:+alt}"));
        assertEquals("alt", value("${EMPTY+alt}"));
        assertEquals("1.2.3", value("${MISSING:-${FILE_TAG}}"));
        assertEquals("x-1.2.3-y", value("${MISSING:-x-${NOPE:-${FILE_TAG}}-y}"));
    }

    @Test
    void dollarDollarIsALiteralDollar() {
        assertEquals("a$b", value("a$$b"));
        assertEquals("$SHELL_TAG", value("$$SHELL_TAG"));
        assertEquals("${x}", value("$${x}"));
        assertEquals("$9.9", value("$$$SHELL_TAG"));
        assertEquals("d$", value("${MISSING:-d$$}"));
    }

    @Test
    void requiredVariables() {
        assertEquals("9.9", value("${SHELL_TAG:?needed}"));
        var e = assertThrows(Interpolator.InterpolationException.class, () -> value("app:${MISSING:?set MISSING first}"));
        assertEquals("required variable MISSING is missing a value: set MISSING first", e.getMessage());
        assertThrows(Interpolator.InterpolationException.class, () -> value("${EMPTY:?x}"));
        assertEquals("", value("${EMPTY?x}"), "? without colon accepts a set empty value");
        assertThrows(Interpolator.InterpolationException.class, () -> value("${MISSING?x}"));
    }

    @Test
    void invalidTemplatesAreRefused() {
        for (String bad : List.of("app:$", "app:${", "app:${TAG", "${}", "${1X}", "${X:}", "${X%y}", "$-x")) {
            assertThrows(Interpolator.InterpolationException.class, () -> value(bad), bad);
        }
    }

    @Test
    void recordsWhereEachValueCameFrom() {
        var r = interpolator.interpolate("r/${BOTH}:${FILE_TAG}-${MISSING:-dflt}$NONE");
        assertEquals("r/from-shell:1.2.3-dflt", r.value(), "the process environment wins over .env");
        assertEquals(List.of(
                new Substitution("BOTH", "from-shell", Origin.ENVIRONMENT, null, 0),
                new Substitution("FILE_TAG", "1.2.3", Origin.ENV_FILE, ENV, 4),
                new Substitution("MISSING", "dflt", Origin.DEFAULT, null, 0),
                new Substitution("NONE", "", Origin.UNSET, null, 0)), r.substitutions());
        assertTrue(interpolator.interpolate("nginx:1.25").substitutions().isEmpty());
    }

    @Test
    void lookupIsOnlyAskedForUsedVariables() {
        var asked = new java.util.ArrayList<String>();
        var i = new Interpolator(n -> {
            asked.add(n);
            return Optional.of(new Substitution(n, "v", Origin.ENVIRONMENT, null, 0));
        });
        assertEquals("v", i.interpolate("${A:-${B:?unused}}").value());
        assertEquals(List.of("A"), asked, "an unused default is not evaluated, so its ${B:?} cannot fail");
    }
}
