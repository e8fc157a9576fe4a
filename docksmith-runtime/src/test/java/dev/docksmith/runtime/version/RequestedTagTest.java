package dev.docksmith.runtime.version;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The version a client sends to {@code POST /api/update}, read against the running tag, on the real tag
 * lists of the version-tags fixtures: a bare version never moves a variant container to another
 * image family, and the refusal names the tag of the running family that was meant.
 */
class RequestedTagTest {

    /** The tag list of the first case of the fixture that lists {@code running}. */
    static List<String> tags(String file, String running) {
        return VersionFixturesTest.cases().stream()
                .filter(c -> c.file().equals(file) && c.availableTags().contains(running))
                .findFirst().orElseThrow(() -> new IllegalStateException(file + " has no case listing " + running))
                .availableTags();
    }

    @ParameterizedTest(name = "{0}: {1}, asked {2} -> leaves family {3}, meant {4}")
    @CsvSource({
            // alpine: the bare 1.25.3 exists in nginx's list, and is Debian nginx
            "nginx.json,       1.25.3-alpine, 1.25.3,  true,  1.25.3-alpine",
            "nginx.json,       1.25.3-alpine, 1.26.0,  true,  1.26.0-alpine",
            // Debian codenames: bullseye is meant, never bookworm
            "postgres.json,    16.1-bullseye, 16.2,    true,  16.2-bullseye",
            "postgres.json,    16.1-bookworm, 16.2,    true,  16.2-bookworm",
            // a LinuxServer build number is no variant: the bare version is of the same family, the newest build is meant
            "linuxserver.json, 4.0.0-ls250,   4.0.2,   false, 4.0.2-ls260",
            // the v style is no family either: the v tag is meant
            "traefik.json,     v2.10.0,       2.11.0,  false, v2.11.0",
            "traefik.json,     v2.10.0,       v2.11.0, false, <none>",
            "postgres.json,    16.1-bullseye, 17.0,    true,  <none>"
    })
    void bareVersionsStayInTheRunningFamily(String file, String running, String asked, boolean leaves, String meant) {
        List<String> tags = tags(file, running);
        assertEquals(leaves, RequestedTag.leavesFamily(running, asked));
        assertEquals(meant, RequestedTag.meant(running, asked, tags).orElse("<none>"));
    }

    @Test
    void spelledOutVariantsAndChannelsAreDeliberate() {
        assertFalse(RequestedTag.leavesFamily("1.25.3-alpine", "1.26.0-alpine3.19"), "same family");
        assertFalse(RequestedTag.leavesFamily("1.25.3-alpine", "1.26.0-bookworm"), "another family, spelled out");
        assertFalse(RequestedTag.leavesFamily("1.25.3-alpine", "latest"), "a channel");
        assertFalse(RequestedTag.leavesFamily("latest", "1.26.0"), "pinning latest");
        assertFalse(RequestedTag.leavesFamily("1.25.3", "1.26.0"), "no variant to keep");
        assertFalse(RequestedTag.leavesFamily("sha-1a2b3c4", "1.26.0"), "no family to keep");
        assertTrue(RequestedTag.leavesFamily("stable-alpine", "1.26.2"), "a channel of a variant keeps it too");
        assertEquals(Optional.of("1.26.2-alpine"),
                RequestedTag.meant("stable-alpine", "1.26.2", List.of("1.26.2", "1.26.2-alpine", "1.26.2-perl")));
    }

    @Test
    void familiesOfRunningTags() {
        assertEquals("alpine", RequestedTag.familyOf("16.1-alpine3.18"));
        assertEquals("bookworm", RequestedTag.familyOf("16.2-bookworm"));
        assertEquals("", RequestedTag.familyOf("2.1.0-ls104"));
        assertEquals("", RequestedTag.familyOf("v2.11.0"));
        assertEquals("alpine", RequestedTag.familyOf("stable-alpine"));
        assertEquals("", RequestedTag.familyOf("latest"));
    }
}
