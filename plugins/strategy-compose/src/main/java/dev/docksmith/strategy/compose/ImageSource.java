package dev.docksmith.strategy.compose;

import java.nio.file.Path;
import java.util.List;

/**
 * Where a service's effective {@code image:} came from: the last {@code -f} file that sets it.
 *
 * @param file          the compose file holding the winning {@code image:} scalar
 * @param template      the scalar's value before substitution ({@code app:${TAG:-1.0}})
 * @param span          where the scalar sits in {@code file}
 * @param substitutions the variables substituted into it, in order of use
 */
public record ImageSource(Path file, String template, ScalarSpan span, List<Substitution> substitutions) {
    public ImageSource {
        substitutions = List.copyOf(substitutions);
    }

    /** True when the image is written literally, with no variable in it. */
    public boolean literal() {
        return substitutions.isEmpty();
    }
}
