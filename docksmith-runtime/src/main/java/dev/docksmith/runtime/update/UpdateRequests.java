package dev.docksmith.runtime.update;

import dev.docksmith.api.BadRequestException;
import dev.docksmith.api.ContainerInfo;
import dev.docksmith.api.DocksmithException;
import dev.docksmith.api.ImageRef;
import dev.docksmith.api.NotFoundException;
import dev.docksmith.api.Operation;
import dev.docksmith.api.OperationStatus;
import dev.docksmith.runtime.check.CheckResult;
import dev.docksmith.runtime.check.Checker;
import dev.docksmith.runtime.plugin.PreUpdateChecks;
import dev.docksmith.runtime.plugin.RegistryDirectory;
import dev.docksmith.runtime.check.Status;
import dev.docksmith.runtime.plugin.StrategyDirectory;
import dev.docksmith.runtime.docker.DockerClient;
import dev.docksmith.runtime.version.RequestedTag;
import dev.docksmith.spi.Store;
import dev.docksmith.spi.UpdateStrategy;
import dev.docksmith.spi.YesNo;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns what a client asks for into an {@link UpdateRequest}, or refuses it before anything changes:
 * an unknown container or operation is 404, everything else a client could get wrong is 400 with the
 * reason (an ignored container, a version the registry lacks, a script outside the scripts directory).
 */
public final class UpdateRequests {
    /** Operation types that moved a container to another image, and so can be rolled back. */
    public static final Set<String> IMAGE_CHANGES = Set.of("update", "rollback", "fix_compose_mismatch");
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
    private static final Pattern LABEL_KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/-]{0,254}");

    private final DockerClient docker;
    private final Checker checker;
    private final RegistryDirectory registries;
    private final StrategyDirectory strategies;
    private final PreUpdateChecks preUpdateChecks;
    private final Store store;

    public UpdateRequests(DockerClient docker, Checker checker, RegistryDirectory registries, StrategyDirectory strategies,
                          PreUpdateChecks preUpdateChecks, Store store) {
        this.docker = docker;
        this.checker = checker;
        this.registries = registries;
        this.strategies = strategies;
        this.preUpdateChecks = preUpdateChecks;
        this.store = store;
    }

    /** {@code POST /api/update}: to {@code version}, or to the newest version the check allows. */
    public UpdateRequest update(String name, String version, String script, boolean force) {
        ContainerInfo c = container(name);
        UpdateStrategy strategy = strategy(c);
        if (!force && YesNo.truthy(c.labels().getOrDefault("docksmith.ignore", ""))) {
            throw new BadRequestException(c.name() + " is ignored (label docksmith.ignore=true); send \"force\": true to update it anyway");
        }
        String image = namedImage(c);
        String checkedScript = script == null ? null : preUpdateChecks.resolve(script);
        String current = ImageNames.tag(image);
        if (version != null) {
            if (!TAG.matcher(version).matches()) {
                throw new BadRequestException("version '" + version + "' is not a valid image tag");
            }
            requireSameFamily(c, image, current, version);
            requireInRegistry(image, current, version);
            return new UpdateRequest("update", c, strategy, ImageNames.withTag(image, version), current, version,
                    null, null, checkedScript, force, null);
        }
        CheckResult check = checker.checkOne(c.name());
        if (check.status() == Status.ERROR) {
            throw new BadRequestException("cannot update " + c.name() + ": the check failed: " + check.error());
        }
        if (check.status() == Status.COMPOSE_MISMATCH) {
            throw new BadRequestException("cannot update " + c.name() + ": its compose file declares " + check.composeImage()
                    + " but it runs " + image + "; use POST /api/fix-compose-mismatch/" + c.name() + " first");
        }
        if (!check.updateAvailable()) {
            throw new BadRequestException("no update for " + c.name() + " (" + check.status().name() + " at "
                    + check.currentVersion() + "); name a \"version\" to move to another tag");
        }
        // A floating tag whose digest moved has no newer tag: the same tag is pulled again.
        String target = check.latestTag() != null ? ImageNames.withTag(image, check.latestTag()) : image;
        return new UpdateRequest("update", c, strategy, target, check.currentVersion(), check.latestVersion(),
                null, null, checkedScript, force, null);
    }

    /**
     * {@code POST /api/rollback}: back to the image an earlier update replaced, by its tag, or by its
     * digest when the registry's tag has moved to another image since.
     */
    public UpdateRequest rollback(String operationId) {
        Operation op = store.operation(operationId).orElseThrow(() -> new NotFoundException("Operation not found: " + operationId));
        String previous = op.details().get(StoredPlan.PREVIOUS_IMAGE);
        if (!IMAGE_CHANGES.contains(op.type()) || previous == null) {
            throw new BadRequestException("operation " + operationId + " (" + op.type() + ") changed no image, so there is nothing to roll back");
        }
        if (op.status() != OperationStatus.COMPLETE) {
            throw new BadRequestException("operation " + operationId + " is " + op.status().wire()
                    + "; only a complete update can be rolled back");
        }
        ContainerInfo c = container(op.containerName());
        String target = previous;
        String digest = op.details().get(StoredPlan.PREVIOUS_DIGEST);
        if (digest != null && tagMoved(previous, digest)) {
            target = ImageNames.withDigest(previous, digest);
        }
        return new UpdateRequest("rollback", c, strategy(c), target, op.newVersion(), op.oldVersion(), null, null, null,
                true, Map.of("rollback_of", op.id()));
    }

    /** {@code POST /api/fix-compose-mismatch/{name}}: run what the compose file declares. */
    public UpdateRequest fixComposeMismatch(String name) {
        ContainerInfo c = container(name);
        UpdateStrategy strategy = strategy(c);
        if (c.stack() == null) {
            throw new BadRequestException(c.name() + " was not started by compose, so there is no compose file to match");
        }
        Optional<String> declared;
        try {
            declared = strategy.declaredImage(c);
        } catch (DocksmithException e) {
            throw new BadRequestException("failed to extract image from compose file: " + e.getMessage());
        }
        String image = declared.orElseThrow(() -> new BadRequestException(
                "failed to extract image from compose file: no image key found for service " + c.service()));
        return new UpdateRequest("fix_compose_mismatch", c, strategy, image, versionOf(c.image()), versionOf(image),
                null, null, null, true, null);
    }

    /** {@code POST /api/labels/set} and {@code /remove}: the same image, other labels. */
    public UpdateRequest labels(String name, Map<String, String> set, List<String> remove) {
        ContainerInfo c = container(name);
        UpdateStrategy strategy = strategy(c);
        if (set.isEmpty() && remove.isEmpty()) {
            throw new BadRequestException("no labels given");
        }
        for (String key : set.keySet()) {
            checkLabelKey(key);
        }
        remove.forEach(UpdateRequests::checkLabelKey);
        String image = namedImage(c);
        String version = versionOf(image);
        return new UpdateRequest("labels", c, strategy, image, version, version, set, remove, null, true, null);
    }

    private static void checkLabelKey(String key) {
        if (key == null || !LABEL_KEY.matcher(key).matches()) {
            throw new BadRequestException("'" + key + "' is not a label name (letters, digits, . _ / -)");
        }
    }

    private ContainerInfo container(String name) {
        if (name == null || name.isBlank()) {
            throw new BadRequestException("container is required");
        }
        // The engine answers 404 (NotFoundException) for an unknown name.
        return docker.container(name);
    }

    private UpdateStrategy strategy(ContainerInfo c) {
        return strategies.strategyFor(c).orElseThrow(() -> new BadRequestException(
                "no installed update strategy can recreate " + c.name()));
    }

    private static String namedImage(ContainerInfo c) {
        String image = c.image();
        if (image == null || image.isBlank() || image.startsWith("sha256:")) {
            throw new BadRequestException(c.name() + " runs a bare image id (" + image + "), not a tag"
                    + (c.stack() != null ? "; use POST /api/fix-compose-mismatch/" + c.name() : ""));
        }
        return image;
    }

    /**
     * A bare version for a container on a variant tag is refused even when that bare tag exists: it is
     * another image family ({@code 1.27.1} is Debian nginx, the container runs {@code 1.25.3-alpine}), and
     * clients send bare versions meaning "this version of what I run".
     */
    private void requireSameFamily(ContainerInfo c, String image, String current, String version) {
        if (current == null || !RequestedTag.leavesFamily(current, version)) {
            return;
        }
        ImageRef ref = ImageRef.parse(image).withTag(version);
        throw new BadRequestException("version " + version + " of " + ref.repositoryName() + " is not of the "
                + RequestedTag.familyOf(current) + " variant " + c.name() + " runs (" + current
                + "), and an update never changes the image family: "
                + meant(ref, current, version).map(t -> "did you mean " + t + "?").orElse("name a tag of that variant"));
    }

    private void requireInRegistry(String image, String current, String version) {
        ImageRef ref = ImageRef.parse(image).withTag(version);
        Optional<String> digest;
        try {
            digest = registries.clientFor(ref).digest(ref);
        } catch (NotFoundException e) {
            digest = Optional.empty();
        }
        if (digest.isEmpty()) {
            throw new BadRequestException("version " + version + " of " + ref.repositoryName() + " is not in the registry"
                    + (current == null ? "" : meant(ref, current, version).map(t -> "; did you mean " + t + "?").orElse("")));
        }
    }

    /**
     * The tag of the running family that names the version asked for, to suggest in a refusal. Costs a
     * tag listing, so it is only asked on the way to a 400; a registry that fails then just gives no hint.
     */
    private Optional<String> meant(ImageRef ref, String current, String version) {
        try {
            return RequestedTag.meant(current, version, registries.clientFor(ref).tags(ref));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private boolean tagMoved(String image, String digest) {
        try {
            ImageRef ref = ImageRef.parse(image);
            Optional<String> now = registries.clientFor(ref).digest(ref);
            return now.isEmpty() || !now.get().equals(digest);
        } catch (RuntimeException e) {
            return false; // the registry is away: the tag is the best guess, and the image is usually still local
        }
    }

    private static String versionOf(String image) {
        String tag = ImageNames.tag(image);
        return tag != null ? tag : image;
    }
}
