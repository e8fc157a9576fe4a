package dev.docksmith.strategy.compose;

import dev.docksmith.api.ContainerInfo;
import dev.docksmith.spi.UpdateStrategy;

import java.util.Map;
import java.util.Optional;

/**
 * Containers defined by a compose file. This is the read side: which image the files declare, so
 * the checker can report {@code COMPOSE_MISMATCH}.
 */
public final class ComposeStrategy implements UpdateStrategy {
    /** Above strategies that recreate from the engine's config: a compose container's truth is its file. */
    public static final int PRIORITY = 10;

    private final ComposeLocator locator = new ComposeLocator();
    private final ComposeReader reader;

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
}
