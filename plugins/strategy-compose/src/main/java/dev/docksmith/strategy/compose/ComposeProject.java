package dev.docksmith.strategy.compose;

import java.nio.file.Path;
import java.util.List;

/**
 * Where a compose container's definition lives, taken only from the container's own labels.
 *
 * @param name       the compose project ({@code com.docker.compose.project})
 * @param service    the service ({@code com.docker.compose.service})
 * @param workingDir the project directory, absolute and normalised
 * @param files      the {@code -f} files in the order compose merged them, absolute and normalised
 * @param envFiles   the env files compose read, in order (a later one wins); may not exist
 */
public record ComposeProject(String name, String service, Path workingDir, List<Path> files, List<Path> envFiles) {
    public ComposeProject {
        files = List.copyOf(files);
        envFiles = List.copyOf(envFiles);
    }
}
