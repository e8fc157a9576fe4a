package dev.docksmith.runtime.version;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every test case of every file in {@code version-tags/} (copied byte for byte from
 * {@code shared/fixtures/version-tags}).
 *
 * <p>How a fixture says "no update": {@code expected_latest} equal to {@code current_tag}. The resolver
 * expresses that as an empty {@code latestTag} with {@code latestVersion} equal to {@code currentVersion}.
 * {@code expected_version: "digest"} (gluetun on {@code latest}) means "decided by digest": the
 * resolution must be floating, with no version answer. A case's {@code labels} are applied (three cases
 * need {@code docksmith.version-pin-major}); the others run with no labels.
 */
class VersionFixturesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    record Case(String file, String image, String currentTag, List<String> availableTags, String expectedLatest,
                String expectedVersion, Map<String, String> labels, String notes) {
        @Override
        public String toString() {
            return file + ": " + currentTag + (labels.isEmpty() ? "" : " " + labels) + " -> " + expectedLatest;
        }
    }

    static List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        try (Stream<Path> files = Files.list(fixtureDir())) {
            for (Path file : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                JsonNode root = read(file);
                for (JsonNode c : root.path("test_cases")) {
                    List<String> tags = new ArrayList<>();
                    c.path("available_tags").forEach(t -> tags.add(t.asText()));
                    Map<String, String> labels = new LinkedHashMap<>();
                    c.path("labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
                    cases.add(new Case(file.getFileName().toString(), c.path("image").asText(),
                            c.path("current_tag").asText(), tags, c.path("expected_latest").asText(),
                            c.path("expected_version").asText(), labels, c.path("notes").asText()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return cases;
    }

    static Stream<Arguments> fixtureCases() {
        return cases().stream().map(c -> Arguments.of(c));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtureCases")
    void resolvesLikeTheFixture(Case c) {
        Resolution r = VersionResolver.resolve(c.currentTag(), c.availableTags(), VersionRules.fromLabels(c.labels()));
        String why = c.image() + " " + c.currentTag() + ": " + c.notes() + " -> " + r;
        if (c.expectedVersion().equals("digest")) {
            assertTrue(r.floating(), why);
            assertEquals(c.currentTag(), r.latestTag().orElse(c.currentTag()), why);
            assertEquals(r.currentVersion(), r.latestVersion(), why);
        } else if (c.expectedLatest().equals(c.currentTag())) {
            assertTrue(r.latestTag().isEmpty(), why);
            assertEquals(c.expectedVersion(), r.latestVersion(), why);
            assertEquals(r.currentVersion(), r.latestVersion(), why);
        } else {
            assertEquals(c.expectedLatest(), r.latestTag().orElse("<none>"), why);
            assertEquals(c.expectedVersion(), r.latestVersion(), why);
        }
    }

    /** Guards against the parameterized test passing vacuously when the resources go missing. */
    @Test
    void readsEveryFixtureFile() throws IOException {
        try (Stream<Path> files = Files.list(fixtureDir())) {
            assertEquals(9, files.filter(p -> p.toString().endsWith(".json")).count());
        }
        List<Case> cases = cases();
        assertEquals(21, cases.size());
        assertTrue(cases.stream().allMatch(c -> !c.currentTag().isEmpty() && !c.availableTags().isEmpty()));
    }

    private static Path fixtureDir() {
        URL url = VersionFixturesTest.class.getClassLoader().getResource("version-tags");
        if (url == null) {
            throw new IllegalStateException("test resources version-tags/ are missing");
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return JSON.readTree(in);
        }
    }
}
