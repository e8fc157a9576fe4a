package dev.docksmith.runtime.check;

import dev.docksmith.api.BadRequestException;
import dev.docksmith.api.ContainerInfo;
import dev.docksmith.api.ImageRef;
import dev.docksmith.api.UpdateCandidate;
import dev.docksmith.api.Verdict;
import dev.docksmith.runtime.version.Resolution;
import dev.docksmith.runtime.version.TagVersion;
import dev.docksmith.runtime.version.VersionResolver;
import dev.docksmith.runtime.version.VersionRules;
import dev.docksmith.spi.UpdateStrategy;
import dev.docksmith.runtime.plugin.StrategyDirectory;
import dev.docksmith.runtime.plugin.PreUpdateChecks;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * Decides one container's status. Everything that needs the network goes through
 * {@link RegistryAnswers}, so containers of one repository share their registry requests, and the
 * steps that need no registry (ignored, local image, compose mismatch) ask nothing at all.
 */
final class ContainerChecker {
    /** How many version tags to HEAD, newest first, when looking for the one a floating tag points at. */
    static final int PIN_LOOKUPS = 3;

    private final RegistryAnswers registry;
    private final StrategyDirectory strategies;
    private final PreUpdateChecks preUpdateChecks;
    private final Executor executor;
    private final Clock clock;
    /**
     * Which version tag a floating tag's digest was found to be ({@code repo@digest} to tag). A digest
     * names content, so once {@code latest} at digest D was found to be 2.0.0, a later check that sees
     * D again (and 2.0.0 still listed) needs no lookup; only a new digest costs a HEAD.
     */
    private final Map<String, String> pins = new ConcurrentHashMap<>();
    private static final int MAX_PINS = 10_000;
    /**
     * Containers whose running tag had a newer allowed version at the last check. Their status does
     * not depend on their tag's digest, so a check skips that HEAD for them unless the new tag list
     * changes the answer: on a host where most containers are behind, this halves registry requests.
     */
    private final Set<String> behind = ConcurrentHashMap.newKeySet();

    ContainerChecker(RegistryAnswers registry, StrategyDirectory strategies, PreUpdateChecks preUpdateChecks,
                     Executor executor, Clock clock) {
        this.registry = registry;
        this.strategies = strategies;
        this.preUpdateChecks = preUpdateChecks;
        this.executor = executor;
        this.clock = clock;
    }

    CompletableFuture<CheckResult> check(Discovery.Found found) {
        Draft d = new Draft(found.container(), clock);
        runningTag(found.container()).ifPresent(tag -> d.versions(tag, tag, null));
        try {
            ContainerInfo c = found.container();
            VersionRules rules = VersionRules.fromLabels(c.labels());
            if (rules.ignored()) {
                return done(d.status(Status.IGNORED));
            }
            Optional<String> declared = declaredImage(c);
            String running = c.image() == null ? "" : c.image();
            if (running.startsWith("sha256:") || running.equals(c.imageId())) {
                // The container lost its tag reference: nothing to compare versions with.
                return done(declared.map(image -> d.mismatch(image)).orElseGet(() -> d.status(Status.LOCAL_IMAGE)));
            }
            ImageRef ref = ImageRef.parse(running);
            if (declared.isPresent() && !sameImage(declared.get(), ref)) {
                return done(d.mismatch(declared.get()));
            }
            if (ref.tag() == null) {
                return done(d.versions(ref.digest(), ref.digest(), null).status(Status.UP_TO_DATE));
            }
            if (found.repoDigests().isEmpty()) {
                return done(d.versions(ref.tag(), ref.tag(), null).status(Status.LOCAL_IMAGE));
            }
            String localDigest = found.localDigest(ref);
            String key = c.id() + "|" + ref;
            // Ask the digest together with the tags (one round trip), unless last time a newer version
            // made it moot: then it is asked only if the new tag list no longer offers one.
            CompletableFuture<Optional<String>> early = behind.contains(key) ? null : registry.digest(ref);
            return registry.tags(ref).thenCompose(tags -> {
                Resolution r = VersionResolver.resolve(ref.tag(), tags, rules);
                boolean newerVersion = !r.floating() && r.latestTag().isPresent();
                remember(key, newerVersion);
                CompletableFuture<Optional<String>> digest = early != null ? early
                        : newerVersion ? CompletableFuture.completedFuture(Optional.empty()) : registry.digest(ref);
                return digest.thenCompose(dg -> decide(d, new Facts(ref, rules, tags, dg, localDigest), r));
            }).exceptionally(e -> d.error(Futures.unwrap(e).getMessage()));
        } catch (RuntimeException e) {
            return done(d.error(e.getMessage()));
        }
    }

    private record Facts(ImageRef ref, VersionRules rules, List<String> tags, Optional<String> registryDigest, String localDigest) {
        boolean digestMoved() {
            return localDigest != null && registryDigest.isPresent() && !registryDigest.get().equals(localDigest);
        }
    }

    // Versions are reported as registry tags (r.currentTag(), r.targetTag()), never as the resolver's parsed
    // version texts: a client sends latest_version back as POST /api/update's version, and 1.27.1 (the
    // version of 1.27.1-alpine) is a tag of another image family.
    private CompletableFuture<CheckResult> decide(Draft d, Facts f, Resolution r) {
        d.versions(r.currentTag(), r.targetTag(), r.latestTag().orElse(null));
        if (r.floating() && r.latestTag().isPresent() && leavesTheLine(f.ref().tag(), r.latestTag().get())) {
            // A partial tag (7.2) whose line has been overtaken (7.4): a real version update, not a digest question.
            return withPreUpdateCheck(d.change(r.changeType().wire()), f);
        }
        if (r.floating()) {
            if (f.registryDigest().isEmpty()) {
                return done(d.error("tag " + f.ref().tag() + " no longer exists in " + f.ref().repositoryName()));
            }
            if (f.digestMoved()) {
                // The floating tag points at a new image: that is the update, whatever its version. The update
                // pulls the same tag again, so that tag is the one to report: the newest release tag would pin
                // the container, to a release that need not be what the tag now points at.
                d.versions(r.currentTag(), f.ref().tag(), f.ref().tag());
                return withPreUpdateCheck(d.change("unknown"), f);
            }
            if (f.rules().allowLatest()) {
                return done(d.status(Status.UP_TO_DATE));
            }
            String pinKey = f.ref().repositoryName() + "@" + f.registryDigest().get();
            String known = pins.get(pinKey);
            if (known != null && f.tags().contains(known)) {
                return done(d.pinnable(known));
            }
            return pinnableTag(f.ref(), r.candidatesNewestFirst(), f.registryDigest().get(), 0)
                    .thenApply(tag -> {
                        tag.ifPresent(t -> remember(pinKey, t));
                        return tag.map(t -> d.pinnable(t)).orElseGet(() -> d.status(Status.UP_TO_DATE));
                    });
        }
        if (r.latestTag().isPresent()) {
            return withPreUpdateCheck(d.change(r.changeType().wire()), f);
        }
        if (f.digestMoved()) {
            // Same tag, new image: the publisher re-pushed it (a rebuilt base, a security fix).
            d.versions(r.currentTag(), r.currentTag(), f.ref().tag());
            return withPreUpdateCheck(d.change("unknown"), f);
        }
        return done(d.status(Status.UP_TO_DATE));
    }

    private void remember(String key, boolean newerVersion) {
        if (!newerVersion) {
            behind.remove(key);
            return;
        }
        if (behind.size() >= MAX_PINS) {
            behind.clear();
        }
        behind.add(key);
    }

    private void remember(String key, String tag) {
        if (pins.size() >= MAX_PINS) {
            pins.clear(); // rare, and the next checks simply look the tags up again
        }
        pins.put(key, tag);
    }

    /** True when {@code latest} is not a release inside the line the floating {@code current} names. */
    static boolean leavesTheLine(String current, String latest) {
        Optional<TagVersion> line = TagVersion.parse(current);
        Optional<TagVersion> candidate = TagVersion.parse(latest);
        return line.isPresent() && candidate.isPresent() && !candidate.get().refines(line.get());
    }

    /** The newest version tag whose digest equals the floating tag's, looking at a few newest first. */
    private CompletableFuture<Optional<String>> pinnableTag(ImageRef ref, List<String> candidates, String digest, int index) {
        if (index >= candidates.size() || index >= PIN_LOOKUPS) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        String tag = candidates.get(index);
        return registry.digest(ref.withTag(tag)).thenCompose(d -> d.isPresent() && d.get().equals(digest)
                ? CompletableFuture.completedFuture(Optional.of(tag))
                : pinnableTag(ref, candidates, digest, index + 1));
    }

    private CompletableFuture<CheckResult> withPreUpdateCheck(Draft d, Facts f) {
        if (preUpdateChecks.checkFor(d.container).isEmpty()) {
            return done(d.status(Status.UPDATE_AVAILABLE));
        }
        UpdateCandidate candidate = new UpdateCandidate(d.container, f.ref().familiar(), d.currentVersion, d.latestVersion);
        return CompletableFuture.supplyAsync(() -> {
            Verdict verdict = preUpdateChecks.run(d.container, candidate);
            return verdict.allowed() ? d.status(Status.UPDATE_AVAILABLE) : d.blocked(verdict.reason());
        }, executor);
    }

    private Optional<String> declaredImage(ContainerInfo c) {
        Optional<UpdateStrategy> strategy = strategies.strategyFor(c);
        if (strategy.isEmpty()) {
            return Optional.empty();
        }
        return strategy.get().declaredImage(c);
    }

    /** The tag the container runs, so even results that ask no registry say which version runs. */
    private static Optional<String> runningTag(ContainerInfo c) {
        try {
            return c.image() == null || c.image().startsWith("sha256:") ? Optional.empty()
                    : Optional.ofNullable(ImageRef.parse(c.image()).tag());
        } catch (BadRequestException e) {
            return Optional.empty();
        }
    }

    static boolean sameImage(String declared, ImageRef running) {
        try {
            return ImageRef.parse(declared).toString().equals(running.toString());
        } catch (BadRequestException e) {
            return false;
        }
    }

    private static CompletableFuture<CheckResult> done(CheckResult result) {
        return CompletableFuture.completedFuture(result);
    }

    /** The parts of a result known so far; each finishing method returns the result. */
    private static final class Draft {
        final ContainerInfo container;
        final Clock clock;
        String currentVersion;
        String latestVersion;
        String latestTag;
        String changeType;

        Draft(ContainerInfo container, Clock clock) {
            this.container = container;
            this.clock = clock;
        }

        Draft versions(String current, String latest, String tag) {
            currentVersion = current;
            latestVersion = latest;
            latestTag = tag;
            return this;
        }

        Draft change(String type) {
            changeType = type;
            return this;
        }

        CheckResult status(Status status) {
            return build(status, null, null, null, null);
        }

        CheckResult pinnable(String tag) {
            return build(Status.UP_TO_DATE_PINNABLE, tag, null, null, null);
        }

        CheckResult mismatch(String composeImage) {
            return build(Status.COMPOSE_MISMATCH, null, composeImage,
                    "Running image (" + container.image() + ") differs from compose specification (" + composeImage + ")", null);
        }

        CheckResult blocked(String reason) {
            return build(Status.UPDATE_AVAILABLE_BLOCKED, null, null, null, reason);
        }

        CheckResult error(String message) {
            return build(Status.ERROR, null, null, message == null ? "check failed" : message, null);
        }

        private CheckResult build(Status status, String recommended, String composeImage, String error, String blocked) {
            Map<String, String> labels = new TreeMap<>();
            container.labels().forEach((k, v) -> {
                if (k.startsWith("docksmith.")) {
                    labels.put(k, v);
                }
            });
            return new CheckResult(container.name(), container.id(), container.stack(), container.service(), container.image(),
                    currentVersion, latestVersion == null ? currentVersion : latestVersion, latestTag, status,
                    status.updateAvailable() ? changeType : null, recommended, composeImage, error, blocked, labels,
                    clock.instant());
        }
    }
}
