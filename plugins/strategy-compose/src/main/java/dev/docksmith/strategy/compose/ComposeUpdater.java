package dev.docksmith.strategy.compose;

import dev.docksmith.api.Applied;
import dev.docksmith.api.Change;
import dev.docksmith.api.ContainerInfo;
import dev.docksmith.api.DocksmithException;
import dev.docksmith.api.UpdateException;
import dev.docksmith.spi.StageListener;
import dev.docksmith.spi.UpdateStrategy;
import dev.docksmith.strategy.compose.ComposeCli.ServiceContainer;
import dev.docksmith.strategy.compose.ComposePlan.FileChange;
import dev.docksmith.strategy.compose.ComposePlan.LabelBefore;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The write side of {@link ComposeStrategy}: plan (read, change nothing), apply (edit the files,
 * pull, recreate), undo, and recovery after a crash. Every failure in apply puts the files back
 * before throwing, so a failed update leaves the definition as it was.
 */
final class ComposeUpdater {
    static final String UPDATING_COMPOSE = "updating_compose";
    static final String PULLING_IMAGE = "pulling_image";
    static final String RECREATING = "recreating";

    private static final Duration PULL_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration UP_TIMEOUT = Duration.ofMinutes(2);

    private final ComposeEditor editor = new ComposeEditor();
    private final ComposeLabelEditor labelEditor = new ComposeLabelEditor();
    private final ComposeCli cli;

    private final ComposeLocator locator;
    private final OrphanedCommands orphans;

    ComposeUpdater(ComposeCli cli) {
        this(cli, new ComposeLocator());
    }

    ComposeUpdater(ComposeCli cli, ComposeLocator locator) {
        this(cli, locator, new OrphanedCommands());
    }

    ComposeUpdater(ComposeCli cli, ComposeLocator locator, OrphanedCommands orphans) {
        this.orphans = orphans;
        this.locator = locator;
        this.cli = cli;
    }

    /**
     * Works out every file edit and checks the files can be rewritten, changing nothing. The image
     * edit comes first; label edits apply on top of it when both are in one file.
     */
    Applied plan(Change change, ComposeService service) {
        ContainerInfo container = change.container();
        if (service.source() == null) {
            throw new UpdateException("failed to extract image from compose file: no image key found for service "
                    + service.project().service());
        }
        String what = describe(change);
        Map<Path, byte[]> original = new LinkedHashMap<>();
        Map<Path, byte[]> edited = new LinkedHashMap<>();
        try {
            // No image edit when the files already declare the new image (the container runs something
            // else), nor for a label-only change: what the container runs may not belong in the file
            // (a bare sha256: id), and an up follows the file anyway.
            if (change.changesImage() && !service.image().equals(change.newImage())) {
                ComposeEdit edit = editor.plan(service, change.newImage());
                original.put(edit.file(), edit.previousBytes());
                edited.put(edit.file(), edit.newBytes());
            }
            if (change.changesLabels()) {
                Map<Path, byte[]> withLabels = labelEditor.plan(service, change.labelsToSet(), change.labelsToRemove(),
                        file -> edited.containsKey(file) ? edited.get(file)
                                : original.computeIfAbsent(file, f -> AtomicFiles.read(f, "compose file")));
                edited.putAll(withLabels);
            }
            edited.keySet().removeIf(file -> Arrays.equals(original.get(file), edited.get(file)));
            for (Path file : edited.keySet()) {
                AtomicFiles.checkWritable(file, service.project().files().contains(file) ? "compose file" : "env file");
            }
        } catch (UpdateException e) {
            throw e;
        } catch (DocksmithException e) {
            throw new UpdateException(what + ": " + e.getMessage(), e);
        }

        List<FileChange> files = new ArrayList<>();
        edited.forEach((file, bytes) -> files.add(new FileChange(file, original.get(file), bytes)));
        List<LabelBefore> labels = new ArrayList<>();
        TreeSet<String> touched = new TreeSet<>(change.labelsToSet().keySet());
        touched.addAll(change.labelsToRemove());
        touched.forEach(key -> labels.add(new LabelBefore(key, container.labels().get(key))));
        // The image id only tells whether the container is back as before when it ran what the files declare.
        String previousImageId = service.image().equals(container.image()) ? container.imageId() : null;
        ComposePlan plan = new ComposePlan(invocation(container, service.project()), files, !change.labelsOnly(),
                service.image(), previousImageId, labels);
        String previous = container.image() != null ? container.image() : service.image();
        return new Applied(container.name(), previous, change.newImage(), plan.toMap());
    }

    /** Writes the planned files, pulls (when the image changes), recreates; puts the files back on failure. */
    Applied apply(Change change, Applied applied, StageListener stages) {
        if (!change.newImage().equals(applied.newImage())) {
            throw new UpdateException("the plan for " + applied.containerName() + " is for " + applied.newImage()
                    + ", not " + change.newImage());
        }
        ComposePlan plan = ComposePlan.fromMap(applied.undo());
        ComposeInvocation compose = plan.compose();
        String what = describe(change);

        stages.stage(UPDATING_COMPOSE, 10, plan.files().isEmpty() ? "the compose files need no change"
                : "editing " + names(plan.files()));
        List<FileChange> written = new ArrayList<>();
        try {
            for (FileChange f : plan.files()) {
                // Only over the bytes the plan read: a file changed since is not overwritten.
                AtomicFiles.replace(f.file(), f.previous(), f.next(), "file");
                written.add(f);
            }
        } catch (DocksmithException e) {
            PutBack back = restore(written);
            throw new UpdateException(what + ": " + e.getMessage() + "; " + back.said(), e, back.complete());
        }

        if (plan.pull()) {
            stages.stage(PULLING_IMAGE, 40, "pulling " + change.newImage());
            ComposeCli.Result pull = cli.run(compose.pull(), compose.workingDir(), PULL_TIMEOUT);
            if (!pull.ok()) {
                PutBack back = restore(plan.files());
                throw new UpdateException(what + ": pulling " + change.newImage() + " failed (exit " + pull.exit() + "); "
                        + back.said() + ". Output:\n" + pull.tail(), null, back.complete());
            }
        }

        stages.stage(RECREATING, 70, "recreating " + compose.service());
        ComposeCli.Result up = cli.run(compose.up(), compose.workingDir(), UP_TIMEOUT);
        if (!up.ok()) {
            String failed = what + ": recreating failed (exit " + up.exit() + "); ";
            if (!UpdateStrategy.rollsBackOnFailure(change.container())) {
                throw new UpdateException(failed + "left as it is, on " + change.newImage() + ", because "
                        + UpdateStrategy.AUTO_ROLLBACK_LABEL + "=false. Output:\n" + up.tail(), null, false);
            }
            PutBack files = restore(plan.files());
            // Best effort: the same `up` on the restored files brings the previous image (still local) back.
            ComposeCli.Result back = cli.run(compose.up(), compose.workingDir(), UP_TIMEOUT);
            String old = back.ok() ? "the previous container was recreated"
                    : "recreating the previous container also failed (exit " + back.exit() + "): " + back.tail();
            throw new UpdateException(failed + files.said() + "; " + old + ". Output:\n" + up.tail(), null,
                    files.complete() && back.ok());
        }
        return applied;
    }

    /** Puts every file's previous bytes back and recreates; no pull, the previous image is still local. */
    void undo(Applied applied, StageListener stages) {
        ComposePlan plan = ComposePlan.fromMap(applied.undo());
        ComposeInvocation compose = plan.compose();
        String what = "undoing the update of " + applied.containerName() + " to " + applied.newImage();
        stages.stage(UPDATING_COMPOSE, 10, plan.files().isEmpty() ? "no file to restore" : "restoring " + names(plan.files()));
        for (FileChange f : plan.files()) {
            try {
                restoreIfChanged(f);
            } catch (DocksmithException e) {
                throw new UpdateException(what + ": " + e.getMessage(), e);
            }
        }
        stages.stage(RECREATING, 70, "recreating " + compose.service());
        ComposeCli.Result up = cli.run(compose.up(), compose.workingDir(), UP_TIMEOUT);
        if (!up.ok()) {
            throw new UpdateException(what + ": the files are restored but recreating failed (exit " + up.exit()
                    + "). Output:\n" + up.tail());
        }
    }

    /** Recreates the service as its files say, without pulling, so that it uses the container its file names again. */
    String reattach(ContainerInfo container, ComposeProject project, StageListener stages) {
        ComposeInvocation compose = invocation(container, project);
        stages.stage(RECREATING, 70, "recreating " + compose.service() + " onto the new container it depends on");
        ComposeCli.Result up = cli.run(compose.up(), compose.workingDir(), UP_TIMEOUT);
        if (!up.ok()) {
            throw new UpdateException("recreating " + container.name() + " failed (exit " + up.exit() + "). Output:\n"
                    + up.tail());
        }
        return container.name();
    }

    /**
     * After a crash anywhere in {@link #apply}: restores the files that differ from before, then
     * recreates the service only when its container is missing, stopped, or differs from before in
     * image or in a label the plan touches.
     *
     * @return what was found and done, in one sentence
     */
    String recover(Applied applied, String interruptedStage) {
        ComposePlan plan = ComposePlan.fromMap(applied.undo());
        ComposeInvocation compose = plan.compose();
        String what = "recovering the update of " + applied.containerName() + " to " + applied.newImage();
        // A compose command the killed process started outlives it and may still be recreating:
        // judging the containers before it ends would race it.
        String waited = orphans.awaitGone(compose, UP_TIMEOUT);
        List<FileChange> restored = new ArrayList<>();
        for (FileChange f : plan.files()) {
            try {
                if (restoreIfChanged(f)) {
                    restored.add(f);
                }
            } catch (DocksmithException e) {
                throw new UpdateException(what + ": " + e.getMessage(), e);
            }
        }
        String files = waited + (restored.isEmpty()
                ? (plan.files().isEmpty() ? "no file was to change" : names(plan.files()) + " already held the previous content")
                : names(restored) + (restored.size() == 1 ? " was" : " were") + " restored");
        // An up on the restored files runs what they declare; before this plan that was the container's image
        // unless the update was fixing a mismatch.
        String image = plan.declaredImage() != null ? plan.declaredImage() : applied.previousImage();
        // Killed while recreating, the old container may look fine while the engine still carries out
        // the stop that was asked for: only a fresh recreate is sure.
        String difference = RECREATING.equals(interruptedStage) ? "the recreate was interrupted" : difference(plan, image, true);
        if (difference == null) {
            return files + "; " + compose.service() + " was running " + image + " as before, so it was left alone";
        }
        ComposeCli.Result up = upAfterLeftovers(compose);
        if (!up.ok()) {
            up = upAfterLeftovers(compose); // a stop the killed run asked for may have been finishing
        }
        String after = up.ok() ? difference(plan, image, false) : null;
        if (!up.ok() || after != null) {
            throw new UpdateException(what + ": " + files + ", but " + difference + " and recreating it failed ("
                    + (up.ok() ? after : "exit " + up.exit() + "). Output:\n" + up.tail()));
        }
        return files + "; " + difference + ", so " + compose.service() + " was recreated on " + image;
    }

    /** Removes what an interrupted v2 recreate left (see {@link ServiceContainer#leftOverFromARecreate}), then up. */
    private ComposeCli.Result upAfterLeftovers(ComposeInvocation compose) {
        try {
            for (ServiceContainer c : cli.containers(compose.project(), compose.service())) {
                if (c.leftOverFromARecreate()) {
                    cli.remove(c.id());
                }
            }
        } catch (DocksmithException e) {
            // the up below says what is wrong, if anything is
        }
        return cli.run(compose.up(), compose.workingDir(), UP_TIMEOUT);
    }

    /** How the service's containers differ from before the plan (running {@code image}), or null when they do not. */
    private String difference(ComposePlan plan, String image, boolean unsureMeansDifferent) {
        String service = plan.compose().service();
        List<ServiceContainer> found;
        try {
            found = cli.containers(plan.compose().project(), service).stream().filter(c -> !c.oneOff()).toList();
        } catch (DocksmithException e) {
            // Recreating when unsure is safe: the files are already as before. After a successful up,
            // not being able to look is no reason to call it a failure.
            return unsureMeansDifferent ? service + "'s container could not be inspected (" + e.getMessage() + ")" : null;
        }
        if (found.isEmpty()) {
            return service + " had no container";
        }
        for (ServiceContainer c : found) {
            if (c.leftOverFromARecreate()) {
                return "an interrupted recreate had left " + c.name();
            }
            if (!"running".equals(c.state())) {
                return service + " was " + c.state();
            }
            if (image != null && !image.equals(c.image())) {
                return service + " ran " + c.image();
            }
            if (plan.previousImageId() != null && !plan.previousImageId().equals(c.imageId())) {
                return service + " ran image " + c.imageId();
            }
            for (LabelBefore label : plan.labels()) {
                String now = c.labels().get(label.key());
                if (!Objects.equals(label.value(), now)) {
                    return service + "'s label " + label.key() + " was " + (now == null ? "missing" : "'" + now + "'");
                }
            }
        }
        return null;
    }

    /** Writes the previous bytes back unless the file already holds them; true when it wrote. */
    private static boolean restoreIfChanged(FileChange f) {
        if (Files.exists(f.file()) && Arrays.equals(AtomicFiles.read(f.file(), "file"), f.previous())) {
            return false;
        }
        AtomicFiles.replace(f.file(), null, f.previous(), "file");
        return true;
    }

    /** Puts files back after a failed step, saying what it did for the error message. */
    /** What putting the files back did: whether every file is back, and the words for the error. */
    private record PutBack(boolean complete, String said) {
    }

    private static PutBack restore(List<FileChange> files) {
        if (files.isEmpty()) {
            return new PutBack(true, "no file had been changed");
        }
        List<String> failed = new ArrayList<>();
        for (FileChange f : files) {
            try {
                restoreIfChanged(f);
            } catch (DocksmithException e) {
                failed.add(e.getMessage());
            }
        }
        if (failed.isEmpty()) {
            return new PutBack(true, names(files) + (files.size() == 1 ? " is" : " are") + " restored");
        }
        return new PutBack(false, "restoring ALSO FAILED: " + String.join("; ", failed));
    }

    private static String names(List<FileChange> files) {
        return files.stream().map(f -> f.file().toString()).collect(Collectors.joining(" and "));
    }

    private static String describe(Change change) {
        String name = change.container().name();
        return change.changesImage() || !change.changesLabels() ? "updating " + name + " to " + change.newImage()
                : "changing the labels of " + name;
    }

    private ComposeInvocation invocation(ContainerInfo container, ComposeProject project) {
        // -f as the label wrote it, run from the working dir: the same files, and v1 keeps its label unchanged.
        List<String> files = container.composeFiles().stream().map(locator::argument).toList();
        List<Path> defaultEnv = List.of(project.workingDir().resolve(".env"));
        boolean customEnv = container.labels().containsKey(ComposeLocator.ENV_FILES_LABEL)
                && !project.envFiles().equals(defaultEnv);
        List<String> envFiles = customEnv ? project.envFiles().stream().map(Path::toString).toList() : List.of();
        return new ComposeInvocation(cli.commandFor(container), project.name(), project.service(), project.workingDir(),
                files, envFiles);
    }
}
