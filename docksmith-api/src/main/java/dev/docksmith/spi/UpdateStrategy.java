package dev.docksmith.spi;

import dev.docksmith.api.Applied;
import dev.docksmith.api.Change;
import dev.docksmith.api.ContainerInfo;

import java.util.Optional;

/**
 * How a container is defined and recreated: by a compose file, by plain engine configuration, or by
 * a third party's tooling. For each container the runtime uses the highest {@link #priority()} among
 * the strategies that {@link #supports} it.
 */
public interface UpdateStrategy extends Plugin {
    /** True when this strategy knows how the container is defined. */
    boolean supports(ContainerInfo container);

    /** Higher wins among strategies that support a container. */
    default int priority() {
        return 0;
    }

    /**
     * The image reference the container's definition asks for (for a compose service, its
     * {@code image:} after variable substitution), so the checker can report a mismatch with what
     * runs. Empty when the definition names no image (a {@code build:} service) or the strategy keeps
     * no definition apart from the container itself.
     *
     * @throws dev.docksmith.api.DocksmithException saying which file and why, when the definition
     *                                              cannot be read
     */
    Optional<String> declaredImage(ContainerInfo container);

    /**
     * Moves the container to {@code change.newImage()}: edits its definition, pulls, recreates. On
     * failure it leaves everything as it was before and throws, saying what failed.
     *
     * @throws dev.docksmith.api.UpdateException when the change could not be made (nothing changed)
     */
    default Applied apply(Change change, StageListener stages) {
        throw new UnsupportedOperationException(name() + " cannot update containers");
    }

    /** Puts back exactly what {@link #apply} changed (definition and image), and recreates. */
    default void undo(Applied applied, StageListener stages) {
        throw new UnsupportedOperationException(name() + " cannot undo updates");
    }
}
