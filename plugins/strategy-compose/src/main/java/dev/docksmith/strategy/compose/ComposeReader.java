package dev.docksmith.strategy.compose;

import dev.docksmith.api.DocksmithException;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Reads a service's effective image from a located project: merges the {@code -f} files in order
 * (a later file's {@code image:} replaces an earlier one's, as compose merges), then substitutes
 * variables from the environment and the env files.
 * Not followed: {@code extends:} and {@code include:}, which would read files the container's labels
 * do not name.
 */
public final class ComposeReader {
    private final Map<String, String> environment;
    private final ComposeFileReader files = new ComposeFileReader();

    /** @param environment the process environment compose would see (injectable for tests) */
    public ComposeReader(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    /**
     * The service as the project's files declare it.
     *
     * @throws DocksmithException naming the file and the reason when a file is missing, unreadable or
     *                            invalid, a variable cannot be substituted, or no file defines the service
     */
    public ComposeService read(ComposeProject project) {
        ServiceDeclaration winner = null;
        boolean defined = false;
        for (Path file : project.files()) {
            Optional<ServiceDeclaration> d = files.service(file, project.service());
            if (d.isEmpty()) {
                continue;
            }
            defined = true;
            if (d.get().image() != null) {
                winner = d.get();
            } else if (d.get().resetsImage()) {
                winner = null;
            }
        }
        if (!defined) {
            throw new DocksmithException("service " + project.service() + " is not defined in "
                    + project.files().stream().map(Path::toString).collect(Collectors.joining(", ")));
        }
        if (winner == null) {
            return new ComposeService(project, null, null); // build-only: compose names the image itself
        }
        Variables variables = new Variables(environment, EnvFile.read(project.envFiles()));
        try {
            Interpolator.Result r = new Interpolator(variables::lookup).interpolate(winner.image());
            if (r.value().isBlank()) {
                throw new DocksmithException("compose file " + winner.file() + ": image of service " + project.service()
                        + " is empty after substitution (" + winner.image() + ")");
            }
            return new ComposeService(project, r.value().strip(),
                    new ImageSource(winner.file(), winner.image(), winner.imageSpan(), r.substitutions()));
        } catch (Interpolator.InterpolationException e) {
            throw new DocksmithException("compose file " + winner.file() + ": image of service " + project.service()
                    + " (line " + winner.imageSpan().line() + "): " + e.getMessage());
        }
    }
}
