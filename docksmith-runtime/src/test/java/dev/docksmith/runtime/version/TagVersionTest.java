package dev.docksmith.runtime.version;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TagVersionTest {

    private static TagVersion v(String tag) {
        return TagVersion.parse(tag).orElseThrow(() -> new AssertionError(tag + " should parse"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            # tag                        | version       | variant       | family       | parts | pre   | build | v     | date
            1.26.0                       | 1.26.0        | ''            | ''           | 3     | false | -1    | false | false
            v2.10.4                      | 2.10.4        | ''            | ''           | 3     | false | -1    | true  | false
            16                           | 16            | ''            | ''           | 1     | false | -1    | false | false
            1.25-alpine                  | 1.25          | alpine        | alpine       | 2     | false | -1    | false | false
            1.25.3-alpine                | 1.25.3        | alpine        | alpine       | 3     | false | -1    | false | false
            16.1-alpine3.18              | 16.1          | alpine3.18    | alpine       | 2     | false | -1    | false | false
            7.2.4-alpine3.19             | 7.2.4         | alpine3.19    | alpine       | 3     | false | -1    | false | false
            16.2-bookworm                | 16.2          | bookworm      | bookworm     | 2     | false | -1    | false | false
            1.25.3-alpine-perl           | 1.25.3        | alpine-perl   | alpine-perl  | 3     | false | -1    | false | false
            1.25.3-alpine3.18-perl       | 1.25.3        | alpine3.18-perl | alpine-perl | 3    | false | -1    | false | false
            5.38.2-bookworm-perl         | 5.38.2        | bookworm-perl | bookworm-perl | 3    | false | -1    | false | false
            3.12.1-slim-bookworm         | 3.12.1        | slim-bookworm | slim-bookworm | 3    | false | -1    | false | false
            20-iron-alpine               | 20            | iron-alpine   | iron-alpine  | 1     | false | -1    | false | false
            4.0.2-ls180                  | 4.0.2         | ''            | ''           | 3     | false | 180   | false | false
            1.40.0.7998-f5c1d59-ls280    | 1.40.0.7998   | ''            | ''           | 4     | false | 280   | false | false
            1.43.0.10492-121068a07-ls293 | 1.43.0.10492  | ''            | ''           | 4     | false | 293   | false | false
            3.19.1-r1                    | 3.19.1        | ''            | ''           | 3     | false | 1     | false | false
            2.4.58-1-bookworm            | 2.4.58        | bookworm      | bookworm     | 3     | false | 1     | false | false
            1.2.3-abc1234                | 1.2.3         | ''            | ''           | 3     | false | -1    | false | false
            3.0.0-rc1                    | 3.0.0-rc1     | ''            | ''           | 3     | true  | -1    | false | false
            v3.0.0-beta2                 | 3.0.0-beta2   | ''            | ''           | 3     | true  | -1    | true  | false
            1.2.0-beta.2                 | 1.2.0-beta.2  | ''            | ''           | 3     | true  | -1    | false | false
            1.0.0-alpha                  | 1.0.0-alpha   | ''            | ''           | 3     | true  | -1    | false | false
            2.0.0rc1                     | 2.0.0rc1      | ''            | ''           | 3     | true  | -1    | false | false
            1.0.0-rc.1-alpine            | 1.0.0-rc.1    | alpine        | alpine       | 3     | true  | -1    | false | false
            20240115                     | 2024.01.15    | ''            | ''           | 3     | false | -1    | false | true
            2024-01-15                   | 2024.01.15    | ''            | ''           | 3     | false | -1    | false | true
            2024.01.15                   | 2024.01.15    | ''            | ''           | 3     | false | -1    | false | true
            20250108-alpine              | 2025.01.08    | alpine        | alpine       | 3     | false | -1    | false | true
            2024.1.5                     | 2024.1.5      | ''            | ''           | 3     | false | -1    | false | false
            12345678                     | 12345678      | ''            | ''           | 1     | false | -1    | false | false
            1243                         | 1243          | ''            | ''           | 1     | false | -1    | false | false
            """)
    void parsesRealTags(String tag, String version, String variant, String family, int parts, boolean pre,
                        long build, boolean vPrefix, boolean date) {
        TagVersion t = v(tag);
        assertEquals(tag, t.tag());
        assertEquals(version, t.version());
        assertEquals(variant, t.variant());
        assertEquals(family, t.family());
        assertEquals(parts, t.precision());
        assertEquals(pre, t.prerelease());
        assertEquals(build, t.build());
        assertEquals(vPrefix, t.vPrefix());
        assertEquals(date, t.date());
    }

    @Test
    void keepsNumericPartsAsNumbers() {
        assertArrayEquals(new long[] {1, 41, 2, 9200}, v("1.41.2.9200-c6bbc1b53-ls295").parts());
        assertArrayEquals(new long[] {2025, 1, 8}, v("20250108").parts());
        assertEquals(0, v("16").part(2));
    }

    @ParameterizedTest
    @ValueSource(strings = {"latest", "stable", "mainline", "edge", "lts", "develop", "nightly", "alpine",
            "f5c1d59", "c0dd5a73e", "sha-1a2b3c4", "amd64-1.43.0.10492-121068a07-ls293",
            "version-1.43.0.10492-121068a07", "1.2.3.4.5", "1.2.x", "1..2", "1.2.", "v", "", "16alpine",
            "1.2.3-", "1.2.3--alpine", "1.2.3_alpine", "12345678901234567890"})
    void rejectsWhatIsNoVersion(String tag) {
        assertTrue(TagVersion.parse(tag).isEmpty(), tag);
    }

    @Test
    void rejectsNull() {
        assertTrue(TagVersion.parse(null).isEmpty());
    }

    @ParameterizedTest(name = "{0} < {1}")
    @CsvSource({
            "1.9, 1.10",
            "1.9.9, 1.10.0",
            "1.2.3-rc1, 1.2.3",
            "1.2.3-alpha, 1.2.3-beta",
            "1.2.3-beta2, 1.2.3-rc1",
            "v3.0.0-beta1, v3.0.0-beta2",
            "3.0.0-rc1, 3.0.0-rc2",
            "3.0.0-rc, 3.0.0-rc1",
            "1.2.0-beta.2, 1.2.0-beta.10",
            "1.2.3, 1.2.4-rc1",
            "4.0.0-ls250, 4.0.0-ls255",
            "1.42.2.10156-f737b826c-ls291, 1.42.2.10156-f737b826c-ls292",
            "1.42.2.10156-f737b826c-ls292, 1.43.0.10467-2b1ba6e69-ls290",
            "1.43.0.10467-2b1ba6e69-ls290, 1.43.0.10492-121068a07-ls293",
            "3.19.1-r1, 3.19.1-r2",
            "1.2.3, 1.2.3-r1",
            "1.2.3, 1.2.3.1",
            "20240329, 20241001",
            "2024-12-31, 2025-01-01",
            "16, 16.1",
            "v2.10.7, v2.11.0"
    })
    void ordersOlderBeforeNewer(String older, String newer) {
        assertTrue(v(older).compareTo(v(newer)) < 0, older + " < " + newer);
        assertTrue(v(newer).compareTo(v(older)) > 0, newer + " > " + older);
    }

    @ParameterizedTest(name = "{0} == {1}")
    @CsvSource({"7.4, 7.4.0", "16.2-alpine, 16.2-alpine3.19", "v3.1.2, 3.1.2", "1.2.3-abc1234, 1.2.3-def5678"})
    void ordersEqualVersionsAsEqual(String a, String b) {
        assertEquals(0, v(a).compareTo(v(b)));
    }

    @Test
    void sortsARealListNumerically() {
        List<TagVersion> tags = new ArrayList<>(List.of(v("1.10.0"), v("1.2.0"), v("1.9.1"), v("1.10.0-rc1"), v("1.2.0-ls3")));
        Collections.sort(tags);
        assertEquals(List.of("1.2.0", "1.2.0-ls3", "1.9.1", "1.10.0-rc1", "1.10.0"), tags.stream().map(TagVersion::tag).toList());
    }

    @Test
    void knowsFloatingAndCalendarTags() {
        assertTrue(v("16").floating());
        assertTrue(v("1.25-alpine").floating());
        assertFalse(v("1.25.3-alpine").floating());
        assertFalse(v("20240115").floating());
        assertTrue(v("20240115").calendar());
        assertTrue(v("2024.10.1").calendar());
        assertFalse(v("3.19.0").calendar());
        assertFalse(v("1243").calendar());
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({"1.2.3, RELEASE", "v16, RELEASE", "1243, RELEASE", "2024.10.1, CALENDAR", "2024.01.15, CALENDAR",
            "20240115, COMPACT_DATE", "v20240115-alpine, COMPACT_DATE", "2024-01-15, DASHED_DATE"})
    void knowsTheScheme(String tag, VersionScheme scheme) {
        assertEquals(scheme, v(tag).scheme());
    }

    @Test
    void refinesOnlyItsOwnLine() {
        assertTrue(v("16.2").refines(v("16")));
        assertTrue(v("3.18.4").refines(v("3.18")));
        assertFalse(v("17.0").refines(v("16")));
        assertFalse(v("16").refines(v("16")));
        assertFalse(v("16.1").refines(v("16.1.0")));
    }

    @Test
    void isAnImmutableValue() {
        TagVersion t = v("1.2.3");
        t.parts()[0] = 99;
        assertEquals(1, t.part(0));
        assertEquals(v("1.2.3"), t);
        assertEquals(v("1.2.3").hashCode(), t.hashCode());
        assertFalse(t.equals(v("v1.2.3")));
    }
}
