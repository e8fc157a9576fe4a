package dev.docksmith.runtime.version;

import dev.docksmith.api.BadRequestException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VersionRulesTest {

    @Test
    void noLabelsAllowEverything() {
        assertSame(VersionRules.NONE, VersionRules.fromLabels(null));
        assertSame(VersionRules.NONE, VersionRules.fromLabels(Map.of()));
        VersionRules r = VersionRules.fromLabels(Map.of("com.docker.compose.project", "web"));
        assertFalse(r.ignored() || r.allowLatest() || r.allowPrerelease() || r.pinMajor() || r.pinMinor() || r.pinPatch());
        assertTrue(r.tagRegex().isEmpty() && r.versionMin().isEmpty() && r.versionMax().isEmpty());
    }

    @ParameterizedTest
    @ValueSource(strings = {"true", "1", "yes", "TRUE", " Yes ", "True"})
    void booleansAcceptTrueOneAndYes(String value) {
        VersionRules r = VersionRules.fromLabels(Map.of(VersionRules.IGNORE, value, VersionRules.ALLOW_LATEST, value,
                VersionRules.ALLOW_PRERELEASE, value, VersionRules.PIN_MAJOR, value, VersionRules.PIN_MINOR, value,
                VersionRules.PIN_PATCH, value));
        assertTrue(r.ignored() && r.allowLatest() && r.allowPrerelease() && r.pinMajor() && r.pinMinor() && r.pinPatch());
    }

    @ParameterizedTest
    @ValueSource(strings = {"false", "0", "no", "", "on", "2", "yess"})
    void anythingElseIsFalse(String value) {
        VersionRules r = VersionRules.fromLabels(Map.of(VersionRules.IGNORE, value, VersionRules.PIN_MAJOR, value));
        assertFalse(r.ignored());
        assertFalse(r.pinMajor());
    }

    @Test
    void invalidRegexIsAnErrorNamingTheLabelAndTheReason() {
        BadRequestException e = assertThrows(BadRequestException.class,
                () -> VersionRules.fromLabels(Map.of(VersionRules.TAG_REGEX, "^(alpine")));
        assertTrue(e.getMessage().contains("docksmith.tag-regex"), e.getMessage());
        assertTrue(e.getMessage().contains("Unclosed group"), e.getMessage());
        assertTrue(e.getMessage().contains("^(alpine"), e.getMessage());
    }

    @Test
    void validRegexIsKept() {
        VersionRules r = VersionRules.fromLabels(Map.of(VersionRules.TAG_REGEX, "^\\d+\\.\\d+\\.\\d+-alpine$"));
        assertEquals("^\\d+\\.\\d+\\.\\d+-alpine$", r.tagRegex().orElseThrow().pattern());
        assertTrue(VersionRules.fromLabels(Map.of(VersionRules.TAG_REGEX, "  ")).tagRegex().isEmpty());
    }

    @ParameterizedTest
    @ValueSource(strings = {VersionRules.VERSION_MIN, VersionRules.VERSION_MAX})
    void unparsableBoundIsAnErrorNamingTheLabel(String label) {
        BadRequestException e = assertThrows(BadRequestException.class, () -> VersionRules.fromLabels(Map.of(label, "latest")));
        assertTrue(e.getMessage().contains(label), e.getMessage());
        assertTrue(e.getMessage().contains("'latest'") && e.getMessage().contains("not a version"), e.getMessage());
    }

    @Test
    void boundsAcceptVersionsInAnyForm() {
        VersionRules r = VersionRules.fromLabels(Map.of(VersionRules.VERSION_MIN, "v1.2", VersionRules.VERSION_MAX, " 2.9.5 "));
        assertEquals("1.2", r.versionMin().orElseThrow().version());
        assertEquals("2.9.5", r.versionMax().orElseThrow().version());
    }

    @Test
    void minimumAboveMaximumIsAnError() {
        Map<String, String> labels = new HashMap<>();
        labels.put(VersionRules.VERSION_MIN, "3.0");
        labels.put(VersionRules.VERSION_MAX, "2.9");
        BadRequestException e = assertThrows(BadRequestException.class, () -> VersionRules.fromLabels(labels));
        assertTrue(e.getMessage().contains("version-min") && e.getMessage().contains("version-max"), e.getMessage());
        labels.put(VersionRules.VERSION_MIN, "2.9.5"); // inside the line "2.9" names: fine
        VersionRules.fromLabels(labels);
    }

    @Test
    void boundsNameLinesInclusively() {
        TagVersion max = TagVersion.parse("2.9").orElseThrow();
        assertEquals(0, VersionBounds.compare(TagVersion.parse("2.9.5").orElseThrow(), max));
        assertTrue(VersionBounds.compare(TagVersion.parse("2.10.0").orElseThrow(), max) > 0);
        TagVersion min = TagVersion.parse("3.0").orElseThrow();
        assertTrue(VersionBounds.compare(TagVersion.parse("3.0.0-rc1").orElseThrow(), min) < 0);
        assertEquals(0, VersionBounds.compare(TagVersion.parse("3.0.0").orElseThrow(), min));
        assertEquals(0, VersionBounds.compare(TagVersion.parse("3.0.1-rc1").orElseThrow(), min));
    }
}
