package dev.docksmith.runtime.version;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VersionResolverTest {

    /** Resolves {@code current} against space-separated {@code tags}, with labels given as name, value pairs. */
    static Resolution resolve(String current, String tags, String... labels) {
        Map<String, String> map = new HashMap<>();
        for (int i = 0; i < labels.length; i += 2) {
            map.put(labels[i], labels[i + 1]);
        }
        return VersionResolver.resolve(current, Arrays.asList(tags.trim().split("\\s+")), VersionRules.fromLabels(map));
    }

    static String latest(String current, String tags, String... labels) {
        return resolve(current, tags, labels).latestTag().orElse("none");
    }

    // --- label rules ---------------------------------------------------------------------------

    @Test
    void ignoredContainersGetNothing() {
        Resolution r = resolve("1.0.0", "1.0.0 2.0.0", VersionRules.IGNORE, "yes");
        assertEquals(Optional.empty(), r.latestTag());
        assertEquals("1.0.0", r.latestVersion());
        assertTrue(r.candidatesNewestFirst().isEmpty());
    }

    @ParameterizedTest(name = "{0} with pin {1} -> {2}")
    @CsvSource({
            "1.2.3, none, 3.0.0",
            "1.2.3, docksmith.version-pin-major, 1.9.0",
            "1.2.3, docksmith.version-pin-minor, 1.2.9",
            "1.2.3, docksmith.version-pin-patch, 1.2.3-r2",
            "1.2.3-r2, docksmith.version-pin-patch, none",
            "1.9.0, docksmith.version-pin-major, none",
            "1.2, docksmith.version-pin-minor, 1.2.9",
            "1, docksmith.version-pin-minor, 1.9.0"
    })
    void pinsKeepTheRunningLine(String current, String pin, String expected) {
        String tags = "1 1.2 1.2.3 1.2.3-r2 1.2.9 1.9.0 2.0.0 3.0.0";
        assertEquals(expected, latest(current, tags, pin, "true"));
    }

    @Test
    void pinsAreOffUnlessTrue() {
        assertEquals("3.0.0", latest("1.2.3", "1.2.3 1.2.9 3.0.0", VersionRules.PIN_MAJOR, "false"));
    }

    @Test
    void tagRegexKeepsOnlyMatchingTags() {
        String tags = "1.25.3 1.25.4 1.26.0 1.27.0-beta 1.26.1-rc1";
        assertEquals("1.26.0", latest("1.25.3", tags, VersionRules.TAG_REGEX, "^1\\.(25|26)\\."));
        assertEquals("1.25.4", latest("1.25.3", tags, VersionRules.TAG_REGEX, "^1\\.25\\.\\d+$"));
        assertEquals("none", latest("1.25.3", tags, VersionRules.TAG_REGEX, "^2\\."));
        // It filters candidates, not the running tag.
        assertEquals("1.26.0", latest("1.25.3", tags, VersionRules.TAG_REGEX, "^1\\.26"));
    }

    @Test
    void versionBoundsAreInclusive() {
        String tags = "1.0.0 1.5.0 2.0.0 2.9.5 3.0.0-rc1 3.0.0 3.1.0";
        assertEquals("2.9.5", latest("1.0.0", tags, VersionRules.VERSION_MAX, "2.9"));
        assertEquals("2.9.5", latest("1.0.0", tags, VersionRules.VERSION_MAX, "2.9.5"));
        assertEquals("2.0.0", latest("1.0.0", tags, VersionRules.VERSION_MAX, "2.0.0"));
        assertEquals("3.0.0", latest("1.0.0", tags, VersionRules.VERSION_MAX, "3.0.0", VersionRules.ALLOW_PRERELEASE, "1"));
        assertEquals(List.of("3.1.0", "3.0.0"),
                resolve("1.0.0", tags, VersionRules.VERSION_MIN, "3.0", VersionRules.ALLOW_PRERELEASE, "1").candidatesNewestFirst());
        assertEquals("none", latest("1.0.0", tags, VersionRules.VERSION_MIN, "4"));
    }

    // --- families and schemes ---------------------------------------------------------------------

    @ParameterizedTest(name = "{0} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            1.25.3-alpine           | 1.25.4 1.25.4-alpine-perl 1.25.4-alpine3.19 1.26.0-bookworm  | 1.25.4-alpine3.19
            1.25.3-alpine3.18       | 1.25.4-alpine 1.25.4-alpine3.19 1.26.0                      | 1.25.4-alpine
            1.25.3-alpine-perl      | 1.25.4-alpine 1.25.4-alpine3.19-perl 1.26.0-perl            | 1.25.4-alpine3.19-perl
            16.1-bullseye           | 16.2-bookworm 17.0-bookworm 16.2-bullseye-slim              | none
            16.1-bookworm           | 16.2-bullseye 16.2-bookworm                                 | 16.2-bookworm
            5.38.0-bookworm-perl    | 5.38.2-bookworm 5.38.2-bookworm-perl 5.40.0-perl            | 5.38.2-bookworm-perl
            3.12.0-slim-bookworm    | 3.12.1-slim 3.12.1-bookworm 3.12.1-slim-bookworm 3.13.0-slim-bullseye | 3.12.1-slim-bookworm
            1.25.3                  | 1.25.4-alpine 1.26.0-bookworm 1.25.5                        | 1.25.5
            4.0.0-ls250             | 4.0.1-ls255 4.0.2-ls260 latest nightly                      | 4.0.2-ls260
            1.40.0.7998-f5c1d59-ls280 | 1.40.0.7998-f5c1d59-ls279 1.40.1.8227-c0dd5a73e-ls285     | 1.40.1.8227-c0dd5a73e-ls285
            1.2.3-abc1234           | 1.2.3-def5678 1.2.4-0123abc                                 | 1.2.4-0123abc
            20240115                | 20240329 3.19.1 2024-05-01 2024.06.01                       | 20240329
            2024.10.1               | 2024.10.2 20241015 2024-10-16                               | 2024.10.2
            2024-01-15              | 2024-03-29 20240401 3.19.1                                  | 2024-03-29
            2024.01.15              | 2024.02.01 3.19.1                                           | 2024.02.01
            3.19.0                  | 20250108 3.19.1 edge latest                                 | 3.19.1
            1.2                     | 1.3 1.3.1 1.4-rc1                                           | 1.3.1
            1.2.3.4                 | 1.2.3.5 1.2.4                                               | 1.2.3.5
            """)
    void keepsTheVariantFamilyAndScheme(String current, String tags, String expected) {
        assertEquals(expected, latest(current, current + " " + tags));
    }

    // --- ordering and never downgrade -------------------------------------------------------------

    @Test
    void comparesNumericallyNotAlphabetically() {
        assertEquals("1.10.0", latest("1.9.0", "1.9.0 1.10.0 1.2.0"));
        assertEquals("1.10", latest("1.9", "1.9 1.10 1.2"));
    }

    @Test
    void aReleaseIsNewerThanItsPrereleases() {
        assertEquals("1.2.3", latest("1.2.3-rc1", "1.2.3-rc1 1.2.3-rc2 1.2.3"));
        assertEquals("none", latest("1.2.3", "1.2.3-rc1 1.2.3-rc2 1.2.3", VersionRules.ALLOW_PRERELEASE, "true"));
    }

    @Test
    void neverOffersADowngrade() {
        assertEquals("none", latest("2.0.0", "1.0.0 1.9.9 2.0.0"));
        assertEquals("none", latest("v3.0.0-beta1", "v2.11.0 v3.0.0-alpha1 v3.0.0-beta1"));
        assertEquals("none", latest("1.42.2.10156-f737b826c-ls292", "1.42.2.10156-f737b826c-ls291 1.42.1.10060-4e8b05daf-ls279"));
        assertEquals("none", latest("2.0.0-r3", "2.0.0 2.0.0-r2 1.9.9-r9"));
        Resolution r = resolve("2.0.0", "1.0.0 2.0.0");
        assertEquals(ChangeType.UNKNOWN, r.changeType());
        assertEquals("2.0.0", r.latestVersion());
        assertEquals(List.of("1.0.0"), r.candidatesNewestFirst());
    }

    @Test
    void aNewerBuildOfTheSameVersionIsAnUpdate() {
        assertEquals("2.0.0-r9", latest("2.0.0", "2.0.0 2.0.0-r9 1.9.9"));
        assertEquals("4.0.0-ls255", latest("4.0.0-ls250", "4.0.0-ls250 4.0.0-ls255 4.0.0-ls249"));
    }

    @Test
    void theSameVersionUnderAnotherNameIsNoUpdate() {
        assertEquals("none", latest("7.4.0", "7.4 7.4.0"));
        assertEquals("none", latest("16.2-alpine3.19", "16.2-alpine 16.2-alpine3.19"));
        assertEquals("none", latest("3.1.2", "v3.1.2 3.1.2"));
    }

    @Test
    void prefersTheTagClosestToTheRunningOne() {
        assertEquals("7.4", latest("7.2", "7.2 7.4.0 7.4"));
        assertEquals("7.4.0", latest("7.2.0", "7.2.0 7.4 7.4.0"));
        assertEquals("16.2-alpine3.19", latest("16.1-alpine3.19", "16.2-alpine 16.2-alpine3.19"));
    }

    @Test
    void neverMovesToALessPreciseTag() {
        assertEquals("none", latest("7.2.3", "7.2.3 8 8.0"));
        assertEquals("8.0.1", latest("7.2.3", "7.2.3 8 8.0 8.0.1"));
    }

    // --- v style ------------------------------------------------------------------------------------

    @Test
    void keepsTheVStyleWhenBothExist() {
        assertEquals("v2.11.0", latest("v2.10.0", "v2.10.0 v2.11.0 2.12.0 2.11.0"));
        assertEquals("2.12.0", latest("2.10.0", "v2.10.0 v2.13.0 2.12.0 2.10.0"));
        assertEquals("none", latest("v3.40.3", "latest v3.40.3 v3.40.2 1243 1086"));
    }

    @Test
    void followsARepositoryThatSwitchedStyle() {
        assertEquals("v1.4.0", latest("1.2.3", "1.2.2 1.2.3 v1.3.0 v1.4.0"));
        assertEquals("2.12.0", latest("v2.10.0", "v2.9.0 v2.10.0 2.12.0"));
    }

    // --- prereleases ----------------------------------------------------------------------------------

    @Test
    void skipsPrereleasesUnlessAllowedOrAlreadyRunningOne() {
        String tags = "v2.10.0 v2.11.0 v3.0.0-beta2 v3.0.0-rc1";
        assertEquals("v2.11.0", latest("v2.10.0", tags));
        assertEquals("v3.0.0-rc1", latest("v2.10.0", tags, VersionRules.ALLOW_PRERELEASE, "true"));
        assertEquals("v3.0.0-rc1", latest("v3.0.0-beta2", tags));
        assertEquals("1.2.0-beta.10", latest("1.2.0-beta.2", "1.2.0-beta.2 1.2.0-beta.10 1.1.0"));
        Resolution r = resolve("v3.0.0-beta1", "v3.0.0-beta1 v3.0.0-rc1 v3.0.0");
        assertEquals("v3.0.0", r.latestTag().orElseThrow());
        assertEquals(ChangeType.PATCH, r.changeType());
    }

    // --- floating tags --------------------------------------------------------------------------------

    @Test
    void channelsFloatAndListPinnableReleasesNewestFirst() {
        Resolution r = resolve("latest", "latest 16 16.1 16.2 15.6 17.0-rc1 16.2-alpine 20240101 edge");
        assertTrue(r.floating());
        assertEquals(Optional.empty(), r.latestTag());
        assertEquals("latest", r.currentVersion());
        assertEquals("latest", r.latestVersion());
        assertEquals(ChangeType.UNKNOWN, r.changeType());
        assertEquals(List.of("16.2", "16.1", "16", "15.6", "20240101"), r.candidatesNewestFirst());
        assertEquals(List.of("3.19.1", "20250108"), resolve("latest", "20250108 3.19.1 edge").candidatesNewestFirst());
    }

    @Test
    void channelsWithAVariantKeepIt() {
        Resolution r = resolve("stable-alpine", "stable stable-alpine 1.26.2 1.26.2-alpine 1.26.2-alpine3.20 1.26.1-alpine");
        assertTrue(r.floating());
        assertEquals(List.of("1.26.2-alpine", "1.26.2-alpine3.20", "1.26.1-alpine"), r.candidatesNewestFirst());
        assertEquals(List.of("3.20.3-alpine"), resolve("alpine", "3.20.3-alpine 3.20.3 latest").candidatesNewestFirst());
    }

    @Test
    void partialVersionsFloatWhenTheListRefinesThem() {
        Resolution r = resolve("16", "15.6 16 16.1 16.2 17 17.1");
        assertTrue(r.floating());
        assertEquals("17.1", r.latestTag().orElseThrow());
        assertEquals(List.of("16.2", "16.1"), r.candidatesNewestFirst());
        Resolution alpine = resolve("1.25-alpine", "1.25-alpine 1.25.3-alpine 1.25.4-alpine3.19 1.26-alpine 1.25.4");
        assertTrue(alpine.floating());
        assertEquals(List.of("1.25.4-alpine3.19", "1.25.3-alpine"), alpine.candidatesNewestFirst());
        // postgres 16.1 names one release: nothing refines it, so versions decide, not digests.
        assertFalse(resolve("16.1-alpine3.18", "16.1-alpine3.18 16.2-alpine3.19").floating());
    }

    @Test
    void pinnedNonVersionTagsHaveNothingToCompare() {
        for (String tag : List.of("sha-1a2b3c4", "f5c1d59", "amd64-1.43.0.10492-121068a07-ls293")) {
            Resolution r = resolve(tag, "1.0.0 2.0.0 latest");
            assertFalse(r.floating(), tag);
            assertEquals(tag, r.currentVersion());
            assertEquals(Optional.empty(), r.latestTag());
            assertTrue(r.candidatesNewestFirst().isEmpty());
        }
    }

    // --- change type ------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0} -> {1}: {2}")
    @CsvSource({
            "1.2.3, 1.2.4, PATCH", "1.2.3, 1.3.0, MINOR", "1.2.3, 2.0.0, MAJOR", "1.9, 1.10, MINOR",
            "15, 15.6, MINOR", "1.40.0.7998-a1b2c3d-ls280, 1.40.0.8000-a1b2c3d-ls281, PATCH",
            "4.0.0-ls250, 4.0.0-ls255, PATCH", "3.0.0-rc1, 3.0.0, PATCH", "20240115, 20240116, MAJOR",
            "2024-01-15, 2025-01-01, MAJOR", "2024.01.15, 2024.01.16, MAJOR", "2024.10.1, 2024.11.0, MINOR",
            "2.0.0, 1.9.0, DOWNGRADE", "1.2.3, 1.2.3, UNKNOWN", "3.19.0, 20240101, UNKNOWN", "20240115, 2024-01-16, UNKNOWN"
    })
    void classifiesChanges(String from, String to, ChangeType expected) {
        assertEquals(expected, ChangeType.between(TagVersion.parse(from).orElseThrow(), TagVersion.parse(to).orElseThrow()));
    }

    @Test
    void resolutionCarriesTheChangeTypeAndWireName() {
        Resolution r = resolve("1.25.3-alpine", "1.25.3-alpine 1.26.0-alpine");
        assertEquals(ChangeType.MINOR, r.changeType());
        assertEquals("minor", r.changeType().wire());
        assertEquals("downgrade", ChangeType.DOWNGRADE.wire());
        assertEquals("1.25.3", r.currentVersion());
        assertEquals("1.26.0", r.latestVersion());
        assertTrue(r.updateAvailable());
    }

    @Test
    void toleratesMissingInputs() {
        Resolution r = VersionResolver.resolve("1.0.0", null, null);
        assertEquals(Optional.empty(), r.latestTag());
        assertEquals("1.0.0", r.currentVersion());
    }
}
