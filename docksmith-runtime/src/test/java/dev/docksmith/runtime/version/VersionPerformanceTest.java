package dev.docksmith.runtime.version;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The checker resolves every container on each check; a regression to per-tag regexes or exceptions
 * shows up here. The bound is loose (CI machines vary); the measured time is printed for humans.
 */
class VersionPerformanceTest {

    /** A node-like repository: 2,000 tags across versions, variants, prereleases and channels. */
    static List<String> bigRepository() {
        String[] variants = {"", "-alpine", "-alpine3.19", "-bookworm", "-bookworm-slim", "-bullseye", "-iron-alpine", "-slim"};
        List<String> tags = new ArrayList<>(List.of("latest", "lts", "current", "alpine", "slim"));
        for (int major = 14; major <= 22; major++) {
            for (int minor = 0; minor < 12 && tags.size() < 1950; minor++) {
                for (int patch = 0; patch < 3; patch++) {
                    for (String variant : variants) {
                        tags.add(major + "." + minor + "." + patch + variant);
                    }
                }
                tags.add(major + "." + minor + "-alpine");
                tags.add(major + "." + minor + ".0-rc1");
            }
        }
        return tags;
    }

    @Test
    void resolvesAHundredContainersQuickly() {
        List<String> tags = bigRepository();
        String[] running = {"18.2.1-alpine", "20.1.0-bookworm-slim", "latest", "16.0.0", "20-iron-alpine", "lts"};
        for (int i = 0; i < 50; i++) { // warm-up, so the JIT's first compilation is not what is measured
            VersionResolver.resolve(running[i % running.length], tags, VersionRules.NONE);
        }
        long start = System.nanoTime();
        int updates = 0;
        for (int i = 0; i < 100; i++) {
            updates += VersionResolver.resolve(running[i % running.length], tags, VersionRules.NONE).updateAvailable() ? 1 : 0;
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        System.out.println("100 resolutions over " + tags.size() + " tags: " + millis + " ms");
        assertTrue(updates > 0);
        assertTrue(millis < 2_000, "100 resolutions took " + millis + " ms");
    }

    @Test
    void parsesTypicalTagsQuickly() {
        List<String> tags = bigRepository();
        int parsed = 0;
        long start = System.nanoTime();
        for (int round = 0; round < 20; round++) {
            for (String tag : tags) {
                parsed += TagVersion.parse(tag).isPresent() ? 1 : 0;
            }
        }
        long nanosPerTag = (System.nanoTime() - start) / (20L * tags.size());
        System.out.println("parse: " + nanosPerTag + " ns per tag");
        assertEquals(20 * (tags.size() - 5), parsed);
        assertTrue(nanosPerTag < 20_000, nanosPerTag + " ns per tag");
    }
}
