package dev.docksmith.strategy.compose;

import dev.docksmith.api.Applied;
import dev.docksmith.api.Change;
import dev.docksmith.api.ContainerInfo;
import dev.docksmith.api.DocksmithException;
import dev.docksmith.api.UpdateException;
import dev.docksmith.spi.PluginContext;
import dev.docksmith.spi.StageListener;
import dev.docksmith.spi.UpdateStrategy;

import java.util.Map;
import java.util.Optional;

/**
 * Containers defined by a compose file: which image the files declare (so the checker can report
 * {@code COMPOSE_MISMATCH}), and updates that edit the file in place and recreate with the compose CLI.
 */
public final class ComposeStrategy implements UpdateStrategy {
    /** Above strategies that recreate from the engine's config: a compose container's truth is its file. */
    public static final int PRIORITY = 10;

    private final ComposeReader reader;
    private final ComposeCli cli;
    // Replaced once by start(), when the settings say where the host's compose files are mounted.
    private volatile ComposeLocator locator = new ComposeLocator();
    private volatile ComposeUpdater updater;

    /** For ServiceLoader: substitutes from Docksmith's own environment, as the compose CLI would. */
    public ComposeStrategy() {
        this(System.getenv());
    }

    /** With an explicit environment, for tests and embedding. */
    public ComposeStrategy(Map<String, String> environment) {
        this(environment, new ComposeCli());
    }

    /** With a CLI that tests can script. */
    ComposeStrategy(Map<String, String> environment, ComposeCli cli) {
        this.reader = new ComposeReader(environment);
        this.cli = cli;
        this.updater = new ComposeUpdater(cli, locator);
    }

    /** Reads {@code DOCKSMITH_COMPOSE_PATH_MAP} (for Docksmith in a container); a bad value stops the plugin. */
    @Override
    public void start(PluginContext context) {
        PathMap paths = PathMap.parse(context.settings().text(PathMap.SETTING).orElse(null));
        this.locator = new ComposeLocator(paths);
        this.updater = new ComposeUpdater(cli, locator);
    }

    @Override
    public String name() {
        return "strategy-compose";
    }

    @Override
    public int priority() {
        return PRIORITY;
    }

    @Override
    public boolean supports(ContainerInfo container) {
        return ComposeLocator.isCompose(container);
    }

    @Override
    public Optional<String> declaredImage(ContainerInfo container) {
        return service(container).declaredImage();
    }

    /** The container's service as its compose files declare it, with where the image came from. */
    public ComposeService service(ContainerInfo container) {
        return reader.read(locator.locate(container));
    }

    /**
     * Reads the service and plans every file edit (the image, or the {@code .env} value it comes
     * from, and the labels), checking the files can be rewritten; changes nothing. The returned plan
     * holds each file's previous and new bytes and how to run compose, for apply, undo and recover.
     */
    @Override
    public Applied plan(Change change) {
        ComposeService service;
        try {
            service = service(change.container());
        } catch (DocksmithException e) {
            throw new UpdateException("updating " + change.container().name() + ": " + e.getMessage(), e);
        }
        return updater.plan(change, service);
    }

    /**
     * Writes the planned files, pulls (not for a label-only change), recreates. A failed pull leaves
     * the files as they were; a failed recreate restores them and brings the old container back.
     */
    @Override
    public Applied apply(Change change, Applied plan, StageListener stages) {
        return updater.apply(change, plan, stages == null ? StageListener.NONE : stages);
    }

    /** Restores every file's previous bytes and recreates the service on the (still local) previous image. */
    @Override
    public void undo(Applied applied, StageListener stages) {
        updater.undo(applied, stages == null ? StageListener.NONE : stages);
    }

    /**
     * {@code up -d --no-deps --force-recreate <service>} with the CLI and files that made the container:
     * compose resolves {@code service:vpn} (or {@code container:vpn}) to the id vpn has now. Forced,
     * because compose v1 finds nothing changed in the file and leaves the container on the old id.
     */
    @Override
    public String reattach(ContainerInfo container, String oldId, String newId, StageListener stages) {
        ComposeProject project;
        try {
            project = locator.locate(container); // the files need not be read: compose reads them
        } catch (DocksmithException e) {
            throw new UpdateException("recreating " + container.name() + ": " + e.getMessage(), e);
        }
        return updater.reattach(container, project, stages == null ? StageListener.NONE : stages);
    }

    /**
     * Repairs an update interrupted anywhere: files that differ from their previous bytes are
     * restored, and the service is recreated only if its container is missing, stopped, or not as the
     * restored files make it (image, touched labels).
     */
    @Override
    public String recover(Applied plan) {
        return recover(plan, null);
    }

    /** As {@link #recover(Applied)}; interrupted while {@code recreating}, the service is always recreated. */
    @Override
    public String recover(Applied plan, String interruptedStage) {
        return updater.recover(plan, interruptedStage);
    }
}
