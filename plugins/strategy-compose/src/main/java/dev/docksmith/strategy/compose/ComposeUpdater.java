package dev.docksmith.strategy.compose;

import dev.docksmith.api.Applied;
import dev.docksmith.api.Change;
import dev.docksmith.api.ContainerInfo;
import dev.docksmith.api.DocksmithException;
import dev.docksmith.api.UpdateException;
import dev.docksmith.spi.StageListener;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The write side of {@link ComposeStrategy}: edit the file, pull, recreate; and the way back. Each
 * failure puts the file back before throwing, so a failed update leaves the definition as it was.
 */
final class ComposeUpdater {
    static final String UPDATING_COMPOSE = "updating_compose";
    static final String PULLING_IMAGE = "pulling_image";
    static final String RECREATING = "recreating";
    // Keys of Applied.undo besides ComposeInvocation's.
    static final String PREVIOUS_BYTES = "previousBytes";
    static final String FILE = "file";

    private static final Duration PULL_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration UP_TIMEOUT = Duration.ofMinutes(2);

    private final ComposeEditor editor = new ComposeEditor();
    private final ComposeCli cli;

    ComposeUpdater(ComposeCli cli) {
        this.cli = cli;
    }

    Applied apply(Change change, ComposeService service, StageListener stages) {
        ContainerInfo container = change.container();
        String what = "updating " + container.name() + " to " + change.newImage();
        // Everything that can be checked without changing anything comes first.
        ComposeEdit edit;
        try {
            edit = editor.plan(service, change.newImage());
            editor.checkWritable(edit);
        } catch (UpdateException e) {
            throw e;
        } catch (DocksmithException e) {
            throw new UpdateException(what + ": " + e.getMessage(), e);
        }
        ComposeInvocation compose = invocation(container, service.project());
        Map<String, String> undo = new HashMap<>(compose.toMap());
        undo.put(FILE, edit.file().toString());
        undo.put(PREVIOUS_BYTES, Base64.getEncoder().encodeToString(edit.previousBytes()));

        stages.stage(UPDATING_COMPOSE, 10, edit.describe());
        try {
            editor.apply(edit);
        } catch (DocksmithException e) {
            throw new UpdateException(what + ": " + e.getMessage(), e);
        }

        stages.stage(PULLING_IMAGE, 40, "pulling " + change.newImage());
        ComposeCli.Result pull = cli.run(compose.pull(), compose.workingDir(), PULL_TIMEOUT);
        if (!pull.ok()) {
            String restored = restore(edit.file(), edit.previousBytes());
            throw new UpdateException(what + ": pulling " + change.newImage() + " failed (exit " + pull.exit() + "); "
                    + restored + ". Output:\n" + pull.tail());
        }

        stages.stage(RECREATING, 70, "recreating " + service.project().service());
        ComposeCli.Result up = cli.run(compose.up(), compose.workingDir(), UP_TIMEOUT);
        if (!up.ok()) {
            String restored = restore(edit.file(), edit.previousBytes());
            // Best effort: the same `up` on the restored file brings the previous image (still local) back.
            ComposeCli.Result back = cli.run(compose.up(), compose.workingDir(), UP_TIMEOUT);
            String old = back.ok() ? "the previous container was recreated"
                    : "recreating the previous container also failed (exit " + back.exit() + "): " + back.tail();
            throw new UpdateException(what + ": recreating failed (exit " + up.exit() + "); " + restored + "; " + old
                    + ". Output:\n" + up.tail());
        }
        String previous = container.image() != null ? container.image() : service.image();
        return new Applied(container.name(), previous, change.newImage(), undo);
    }

    void undo(Applied applied, StageListener stages) {
        Map<String, String> u = applied.undo();
        ComposeInvocation compose = ComposeInvocation.fromMap(u);
        Path file = Path.of(ComposeInvocation.required(u, FILE));
        byte[] previous;
        try {
            previous = Base64.getDecoder().decode(ComposeInvocation.required(u, PREVIOUS_BYTES));
        } catch (IllegalArgumentException e) {
            throw new UpdateException("cannot undo the update of " + applied.containerName() + ": stored content of "
                    + file + " is not base64", e);
        }
        String what = "undoing the update of " + applied.containerName() + " to " + applied.newImage();
        stages.stage(UPDATING_COMPOSE, 10, "restoring " + file);
        try {
            editor.restore(file, previous);
        } catch (DocksmithException e) {
            throw new UpdateException(what + ": " + e.getMessage(), e);
        }
        // No pull: the previous image is still local (it ran until the update).
        stages.stage(RECREATING, 70, "recreating " + compose.service());
        ComposeCli.Result up = cli.run(compose.up(), compose.workingDir(), UP_TIMEOUT);
        if (!up.ok()) {
            throw new UpdateException(what + ": " + file + " is restored but recreating failed (exit " + up.exit()
                    + "). Output:\n" + up.tail());
        }
    }

    private String restore(Path file, byte[] previous) {
        try {
            editor.restore(file, previous);
            return file + " is restored";
        } catch (DocksmithException e) {
            return "restoring " + file + " ALSO FAILED: " + e.getMessage();
        }
    }

    private ComposeInvocation invocation(ContainerInfo container, ComposeProject project) {
        // -f as the label wrote it, run from the working dir: the same files, and v1 keeps its label unchanged.
        List<String> files = container.composeFiles();
        List<Path> defaultEnv = List.of(project.workingDir().resolve(".env"));
        boolean customEnv = container.labels().containsKey(ComposeLocator.ENV_FILES_LABEL)
                && !project.envFiles().equals(defaultEnv);
        List<String> envFiles = customEnv ? project.envFiles().stream().map(Path::toString).toList() : List.of();
        return new ComposeInvocation(cli.commandFor(container), project.name(), project.service(), project.workingDir(),
                files, envFiles);
    }
}
