package dev.docksmith.strategy.compose;

import dev.docksmith.api.Applied;
import dev.docksmith.api.Change;
import dev.docksmith.api.ContainerInfo;
import dev.docksmith.api.DocksmithException;
import dev.docksmith.api.UpdateException;
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

    private final ComposeLocator locator = new ComposeLocator();
    private final ComposeReader reader;
    private final ComposeUpdater updater = new ComposeUpdater(new ComposeCli());

    /** For ServiceLoader: substitutes from Docksmith's own environment, as the compose CLI would. */
    public ComposeStrategy() {
        this(System.getenv());
    }

    /** With an explicit environment, for tests and embedding. */
    public ComposeStrategy(Map<String, String> environment) {
        this.reader = new ComposeReader(environment);
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
     * Edits the service's image in place, pulls, recreates. A failure before the recreate leaves the
     * file and container as they were; a failed recreate restores the file and brings the old one back.
     */
    @Override
    public Applied apply(Change change, StageListener stages) {
        ComposeService service;
        try {
            service = service(change.container());
        } catch (DocksmithException e) {
            throw new UpdateException("updating " + change.container().name() + ": " + e.getMessage(), e);
        }
        return updater.apply(change, service, stages == null ? StageListener.NONE : stages);
    }

    /** Restores the file's previous bytes and recreates the service on the (still local) previous image. */
    @Override
    public void undo(Applied applied, StageListener stages) {
        updater.undo(applied, stages == null ? StageListener.NONE : stages);
    }
}
