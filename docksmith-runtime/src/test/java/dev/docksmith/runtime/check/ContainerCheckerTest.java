package dev.docksmith.runtime.check;

import dev.docksmith.api.ContainerInfo;
import dev.docksmith.api.ImageRef;
import dev.docksmith.api.RegistryException;
import dev.docksmith.api.UpdateCandidate;
import dev.docksmith.api.Verdict;
import dev.docksmith.runtime.store.InMemoryStore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.docksmith.spi.PreUpdateCheck;
import dev.docksmith.spi.RegistryClient;
import dev.docksmith.spi.UpdateStrategy;
import dev.docksmith.runtime.plugin.StrategyDirectory;
import dev.docksmith.runtime.plugin.PreUpdateChecks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Status decisions at the registry and strategy seams, with fakes; the real ones are covered by CheckIT. */
class ContainerCheckerTest {
    static final String REPO = "registry.test/team/app";

    final Map<String, String> digests = new HashMap<>();
    List<String> tags = List.of("1.0.0", "1.1.0", "2.0.0", "latest");
    boolean registryDown;
    final AtomicInteger requests = new AtomicInteger();
    Optional<String> declared = Optional.empty();

    final RegistryClient registry = new RegistryClient() {
        @Override
        public List<String> tags(ImageRef repository) {
            requests.incrementAndGet();
            if (registryDown) {
                throw new RegistryException(0, "listing tags of " + repository.repositoryName() + ": registry.test unreachable");
            }
            return tags;
        }

        @Override
        public Optional<String> digest(ImageRef image) {
            requests.incrementAndGet();
            return Optional.ofNullable(digests.get(image.tag()));
        }
    };

    final UpdateStrategy compose = new UpdateStrategy() {
        @Override
        public String name() {
            return "fake-compose";
        }

        @Override
        public boolean supports(ContainerInfo container) {
            return container.stack() != null;
        }

        @Override
        public Optional<String> declaredImage(ContainerInfo container) {
            return declared;
        }
    };

    /** What a pre-update check was asked about, so tests can see the versions it is told. */
    final List<UpdateCandidate> asked = new CopyOnWriteArrayList<>();
    final PreUpdateCheck recordingCheck = new PreUpdateCheck() {
        @Override
        public String name() {
            return "recording";
        }

        @Override
        public List<String> available() {
            return List.of("record.sh");
        }

        @Override
        public String resolve(String reference) {
            return reference;
        }

        @Override
        public Verdict run(String check, UpdateCandidate candidate) {
            asked.add(candidate);
            return Verdict.allow();
        }
    };

    final java.util.concurrent.ExecutorService executor = Executors.newCachedThreadPool();
    final RegistryAnswers answers = new RegistryAnswers(i -> registry, executor, 16, Clock.systemUTC(), Duration.ofMinutes(5));

    ContainerChecker checker() {
        return new ContainerChecker(answers, new StrategyDirectory(List.of(compose)),
                new PreUpdateChecks(List.of(recordingCheck), new InMemoryStore()), executor, Clock.systemUTC());
    }

    static Discovery.Found running(String tag, String localDigest, Map<String, String> labels) {
        ContainerInfo c = new ContainerInfo("id-" + tag, "app", REPO + ":" + tag, "sha256:img", "running", labels, null);
        return new Discovery.Found(c, localDigest == null ? List.of() : List.of(REPO + "@" + localDigest));
    }

    CheckResult check(Discovery.Found found) {
        return checker().check(found).join();
    }

    @Test
    void newerVersionIsAnUpdateWithItsChangeType() {
        digests.put("1.0.0", "sha256:a");
        CheckResult r = check(running("1.0.0", "sha256:a", Map.of()));
        assertEquals(Status.UPDATE_AVAILABLE, r.status());
        assertEquals("2.0.0", r.latestVersion());
        assertEquals("major", r.changeType());
    }

    @Test
    void aContainerBehindSkipsItsDigestOnTheNextCheckButOneUpToDateDoesNot() {
        digests.put("1.0.0", "sha256:a");
        digests.put("2.0.0", "sha256:b");
        ContainerChecker one = checker();
        assertEquals(Status.UPDATE_AVAILABLE, one.check(running("1.0.0", "sha256:a", Map.of())).join().status());
        assertEquals(2, requests.get(), "first check: tags and digest together");
        answers.clear();
        assertEquals(Status.UPDATE_AVAILABLE, one.check(running("1.0.0", "sha256:a", Map.of())).join().status());
        assertEquals(3, requests.get(), "still behind: the tag list alone decides");
        answers.clear();
        assertEquals(Status.UP_TO_DATE, one.check(running("2.0.0", "sha256:b", Map.of())).join().status());
        assertEquals(5, requests.get(), "up to date: the digest is asked, a re-push would show");
    }

    @Test
    void aRepushedVersionTagIsAnUpdateToo() {
        digests.put("2.0.0", "sha256:new");
        CheckResult r = check(running("2.0.0", "sha256:old", Map.of()));
        assertEquals(Status.UPDATE_AVAILABLE, r.status(), r.toString());
        assertEquals("2.0.0", r.latestVersion());
        assertEquals("unknown", r.changeType());
        digests.put("2.0.0", "sha256:old");
        answers.clear();
        assertEquals(Status.UP_TO_DATE, check(running("2.0.0", "sha256:old", Map.of())).status());
    }

    @Test
    void latestIsPinnableToTheVersionWithItsDigestUnlessAllowed() {
        digests.put("latest", "sha256:two");
        digests.put("2.0.0", "sha256:two");
        CheckResult r = check(running("latest", "sha256:two", Map.of()));
        assertEquals(Status.UP_TO_DATE_PINNABLE, r.status(), r.toString());
        assertEquals("2.0.0", r.recommendedTag());
        assertEquals(Status.UP_TO_DATE, check(running("latest", "sha256:two", Map.of("docksmith.allow-latest", "1"))).status());
    }

    @Test
    void latestWhoseDigestMovedIsAnUpdate() {
        digests.put("latest", "sha256:two");
        CheckResult r = check(running("latest", "sha256:one", Map.of()));
        assertEquals(Status.UPDATE_AVAILABLE, r.status(), r.toString());
    }

    @Test
    void aPartialTagWhoseLineWasOvertakenIsAnUpdate() {
        tags = List.of("7.2", "7.2.1", "7.4", "7.4.0", "latest");
        digests.put("7.2", "sha256:x");
        CheckResult r = check(running("7.2", "sha256:x", Map.of()));
        assertEquals(Status.UPDATE_AVAILABLE, r.status(), r.toString());
        assertTrue(r.latestVersion().startsWith("7.4"), r.toString());
        assertEquals("minor", r.changeType());
    }

    @Test
    void composeMismatchAndBareIdsNeedNoRegistry() {
        Map<String, String> compose = Map.of(ContainerInfo.COMPOSE_PROJECT, "web", ContainerInfo.COMPOSE_SERVICE, "app");
        declared = Optional.of(REPO + ":2.0.0");
        CheckResult r = check(running("1.0.0", "sha256:a", compose));
        assertEquals(Status.COMPOSE_MISMATCH, r.status());
        assertEquals(REPO + ":2.0.0", r.composeImage());
        assertEquals("Running image (" + REPO + ":1.0.0) differs from compose specification (" + REPO + ":2.0.0)", r.error());

        ContainerInfo bare = new ContainerInfo("id", "app", "sha256:0123", "sha256:0123", "running", compose, null);
        assertEquals(Status.COMPOSE_MISMATCH, check(new Discovery.Found(bare, List.of())).status());
        assertEquals(0, requests.get(), "no registry request for either");
    }

    @Test
    void localImagesIgnoredAndBadLabelsAskNothing() {
        assertEquals(Status.LOCAL_IMAGE, check(running("1.0.0", null, Map.of())).status());
        CheckResult ignored = check(running("1.0.0", "sha256:a", Map.of("docksmith.ignore", "yes")));
        assertEquals(Status.IGNORED, ignored.status());
        assertEquals("1.0.0", ignored.currentVersion(), "even a result that asks no registry says what runs");
        CheckResult bad = check(running("1.0.0", "sha256:a", Map.of("docksmith.tag-regex", "(")));
        assertEquals(Status.ERROR, bad.status());
        assertTrue(bad.error().contains("docksmith.tag-regex"), bad.error());
        assertEquals(0, requests.get());
    }

    @Test
    void anUnreachableRegistryIsAnErrorForThisContainerOnly() {
        registryDown = true;
        CheckResult r = check(running("1.0.0", "sha256:a", Map.of()));
        assertEquals(Status.ERROR, r.status());
        assertTrue(r.error().contains("unreachable"), r.error());
    }

    // --- the versions reported are registry tags a client can send back (issue 11, item 1) ----------

    /**
     * Real tag lists (the version-tags fixtures): a container on a variant tag is told the tag of its own
     * variant, not the bare version, which names another image family ({@code 1.26.0} is Debian nginx).
     * The parsed versions stay available under names that say they are no tags.
     */
    @ParameterizedTest(name = "{0}: {1} -> {2}")
    @CsvSource({
            "nginx.json,       1.25.3-alpine,  1.26.0-alpine, 1.25.3, 1.26.0",
            "postgres.json,    16.1-bullseye,  16.2-bullseye, 16.1,   16.2",
            "postgres.json,    16.1-bookworm,  16.2-bookworm, 16.1,   16.2",
            "linuxserver.json, 4.0.0-ls250,    4.0.2-ls260,   4.0.0,  4.0.2",
            "traefik.json,     v2.10.0,        v2.11.0,       2.10.0, 2.11.0"
    })
    void currentAndLatestVersionAreTheRegistrysTags(String fixture, String running, String latest, String currentParsed,
                                                    String latestParsed) {
        tags = fixtureTags(fixture, running);
        digests.put(running, "sha256:a");
        CheckResult r = check(running(running, "sha256:a", Map.of()));
        assertEquals(Status.UPDATE_AVAILABLE, r.status(), r.toString());
        assertEquals(running, r.currentVersion(), "current_version");
        assertEquals(latest, r.latestVersion(), "latest_version");
        assertEquals(latest, r.latestTag(), "latest_tag");
        assertTrue(tags.contains(r.latestVersion()), "latest_version is a tag of the repository: " + tags);
        Map<String, Object> wire = r.toMap();
        assertEquals(running, wire.get("current_version"));
        assertEquals(latest, wire.get("latest_version"));
        assertEquals(currentParsed, wire.get("current_version_parsed"));
        assertEquals(latestParsed, wire.get("latest_version_parsed"));
    }

    @Test
    void anUpToDateVariantReportsItsRunningTagAsBoth() {
        tags = fixtureTags("nginx.json", "1.25.3-alpine");
        digests.put("1.26.0-alpine", "sha256:a");
        CheckResult r = check(running("1.26.0-alpine", "sha256:a", Map.of()));
        assertEquals(Status.UP_TO_DATE, r.status(), r.toString());
        assertEquals("1.26.0-alpine", r.currentVersion());
        assertEquals("1.26.0-alpine", r.latestVersion());
    }

    @Test
    void aPreUpdateCheckIsToldTheTags() {
        tags = fixtureTags("traefik.json", "v2.10.0");
        digests.put("v2.10.0", "sha256:a");
        CheckResult r = check(running("v2.10.0", "sha256:a", Map.of(PreUpdateChecks.LABEL, "record.sh")));
        assertEquals(Status.UPDATE_AVAILABLE, r.status(), r.toString());
        assertEquals(1, asked.size());
        assertEquals("v2.10.0", asked.get(0).currentVersion());
        assertEquals("v2.11.0", asked.get(0).targetVersion());
    }

    @Test
    void aFloatingTagKeepsItsNameAndIsMovedToItselfWhenItsDigestMoves() {
        tags = List.of("1.0.0", "2.0.0", "2.1.0", "latest");
        digests.put("latest", "sha256:new");
        CheckResult r = check(running("latest", "sha256:old", Map.of()));
        assertEquals(Status.UPDATE_AVAILABLE, r.status(), r.toString());
        assertEquals("latest", r.currentVersion());
        // An update without a version pulls latest again; 2.1.0 would pin it to a release that may not be the new latest.
        assertEquals("latest", r.latestVersion(), "latest_version is what the update moves to");
        assertEquals("latest", r.latestTag());
        assertTrue(!r.toMap().containsKey("latest_version_parsed"), r.toMap().toString());
    }

    /** The {@code available_tags} of the first fixture case that lists {@code running}. */
    static List<String> fixtureTags(String file, String running) {
        try (InputStream in = ContainerCheckerTest.class.getClassLoader().getResourceAsStream("version-tags/" + file)) {
            if (in == null) {
                throw new IllegalStateException("test resource version-tags/" + file + " is missing");
            }
            for (JsonNode c : new ObjectMapper().readTree(in).path("test_cases")) {
                List<String> list = new ArrayList<>();
                c.path("available_tags").forEach(t -> list.add(t.asText()));
                if (list.contains(running)) {
                    return list;
                }
            }
            throw new IllegalStateException(file + " has no case listing " + running);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
