package dev.docksmith.strategy.compose;

import dev.docksmith.api.ContainerInfo;
import dev.docksmith.api.DocksmithException;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Finds a compose container's files from its labels, and from nothing else: no client input is ever
 * joined onto these paths, so Docksmith only reads what the container itself names.
 */
public final class ComposeLocator {
    /** Compose v2 (2.2x+) records {@code --env-file} here; without it compose read {@code .env} in the working dir. */
    public static final String ENV_FILES_LABEL = "com.docker.compose.project.environment_file";

    private final PathMap paths;

    /** Docksmith sees the host's paths. */
    public ComposeLocator() {
        this(PathMap.NONE);
    }

    /** Docksmith runs in a container and sees the host's compose directories where {@code paths} says. */
    ComposeLocator(PathMap paths) {
        this.paths = paths;
    }

    /** True when the container carries compose's project and service labels. */
    public static boolean isCompose(ContainerInfo container) {
        return notBlank(container.stack()) && notBlank(container.service());
    }

    /**
     * Resolves the container's compose files: absolute ones (compose v2) as they are, relative ones
     * (compose v1 writes {@code -f} as given) against the working directory label.
     *
     * @throws DocksmithException naming the container and the missing or unusable label
     */
    public ComposeProject locate(ContainerInfo container) {
        if (!isCompose(container)) {
            throw new DocksmithException("container " + container.name() + " has no compose project and service labels");
        }
        String dirLabel = container.labels().get(ContainerInfo.COMPOSE_WORKING_DIR);
        Path workingDir = notBlank(dirLabel) ? path(container, ContainerInfo.COMPOSE_WORKING_DIR, dirLabel) : null;
        if (workingDir != null && !workingDir.isAbsolute()) {
            throw new DocksmithException("container " + container.name() + ": label " + ContainerInfo.COMPOSE_WORKING_DIR
                    + " is not an absolute path: " + dirLabel);
        }
        if (workingDir != null) {
            workingDir = paths.toLocal(workingDir);
        }
        List<String> fileLabels = container.composeFiles();
        if (fileLabels.isEmpty()) {
            throw new DocksmithException("container " + container.name() + " has no " + ContainerInfo.COMPOSE_CONFIG_FILES
                    + " label, so its compose file is unknown");
        }
        List<Path> files = resolveAll(container, ContainerInfo.COMPOSE_CONFIG_FILES, fileLabels, workingDir);
        // Compose's project directory defaults to the first file's directory when no working dir is recorded.
        Path projectDir = workingDir != null ? workingDir.normalize() : files.get(0).getParent();
        return new ComposeProject(container.stack(), container.service(), projectDir, files, envFiles(container, projectDir));
    }

    private List<Path> envFiles(ContainerInfo container, Path projectDir) {
        String label = container.labels().get(ENV_FILES_LABEL);
        if (notBlank(label)) {
            List<String> names = Arrays.stream(label.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
            return resolveAll(container, ENV_FILES_LABEL, names, projectDir);
        }
        return List.of(projectDir.resolve(".env"));
    }

    private List<Path> resolveAll(ContainerInfo container, String label, List<String> names, Path workingDir) {
        List<Path> resolved = new ArrayList<>();
        for (String name : names) {
            Path p = path(container, label, name);
            if (!p.isAbsolute()) {
                if (workingDir == null) {
                    throw new DocksmithException("container " + container.name() + ": " + label + " names the relative path "
                            + name + " but there is no " + ContainerInfo.COMPOSE_WORKING_DIR + " label to resolve it against");
                }
                p = workingDir.resolve(p); // already mapped
            } else {
                p = paths.toLocal(p);
            }
            resolved.add(p.normalize());
        }
        return resolved;
    }

    /** A compose file as the label names it, as Docksmith reaches it (relative ones stay relative to the working dir). */
    String argument(String labelValue) {
        Path p = Path.of(labelValue);
        return p.isAbsolute() ? paths.toLocal(p).toString() : labelValue;
    }

    private static Path path(ContainerInfo container, String label, String value) {
        try {
            return Path.of(value);
        } catch (InvalidPathException e) {
            throw new DocksmithException("container " + container.name() + ": label " + label + " is not a path: " + value);
        }
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }
}
