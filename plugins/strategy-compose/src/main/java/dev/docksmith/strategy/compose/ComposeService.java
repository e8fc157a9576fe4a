package dev.docksmith.strategy.compose;

import java.util.Optional;

/**
 * A compose service as the project's files declare it, after merging every {@code -f} file and
 * substituting variables.
 *
 * @param project where it was read from
 * @param image   the effective image reference, or null for a service that is only {@code build:}
 * @param source  where {@code image} came from, or null exactly when {@code image} is null
 */
public record ComposeService(ComposeProject project, String image, ImageSource source) {
    public ComposeService {
        if ((image == null) != (source == null)) {
            throw new IllegalArgumentException("image and source are both set or both absent");
        }
    }

    /** The declared image, empty for a build-only service. */
    public Optional<String> declaredImage() {
        return Optional.ofNullable(image);
    }
}
