package dev.docksmith.runtime.check;

import dev.docksmith.api.ContainerInfo;
import dev.docksmith.api.ImageRef;
import dev.docksmith.api.RegistryException;
import dev.docksmith.runtime.store.InMemoryStore;
import dev.docksmith.spi.RegistryClient;
import dev.docksmith.spi.UpdateStrategy;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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

    final java.util.concurrent.ExecutorService executor = Executors.newCachedThreadPool();
    final RegistryAnswers answers = new RegistryAnswers(i -> registry, executor, 16, Clock.systemUTC(), Duration.ofMinutes(5));

    ContainerChecker checker() {
        return new ContainerChecker(answers, new StrategyDirectory(List.of(compose)),
                new PreUpdateChecks(List.of(), new InMemoryStore()), executor, Clock.systemUTC());
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
}
