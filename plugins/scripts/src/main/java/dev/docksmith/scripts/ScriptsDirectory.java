package dev.docksmith.scripts;

import dev.docksmith.api.BadRequestException;
import dev.docksmith.api.NotFoundException;

import java.io.IOException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

/**
 * The one directory scripts may run from. Every reference is checked twice: lexically (after
 * normalising {@code ..}) and on the real path (after resolving symbolic links), so neither
 * {@code ../x} nor a link pointing out of the directory can name a file elsewhere.
 */
final class ScriptsDirectory {
    /** Scripts may be grouped in sub-directories; deeper trees are not scripts directories. */
    static final int MAX_DEPTH = 8;

    private final Path root;

    ScriptsDirectory(Path dir) {
        this.root = dir.toAbsolutePath().normalize();
    }

    Path root() {
        return root;
    }

    /**
     * Executable regular files under the directory (sub-directories included, hidden entries such as
     * {@code .git} skipped), as names relative to it, sorted. Empty when the directory does not exist.
     */
    List<String> list() {
        Path realRoot = realRoot();
        if (realRoot == null || !Files.isDirectory(realRoot)) {
            return List.of();
        }
        List<String> names = new ArrayList<>();
        try {
            Files.walkFileTree(realRoot, EnumSet.noneOf(FileVisitOption.class), MAX_DEPTH, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    return !dir.equals(realRoot) && hidden(dir) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (!hidden(file) && runnable(file, realRoot)) {
                        names.add(name(realRoot.relativize(file)));
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    return FileVisitResult.CONTINUE; // an unreadable entry is not a script; list the rest
                }
            });
        } catch (IOException e) {
            return List.of();
        }
        names.sort(null);
        return List.copyOf(names);
    }

    /**
     * Checks a reference: a name relative to the directory, or an absolute path inside it. A hidden one
     * ({@code .name.sh}, {@code .git/hooks/x}) is refused as {@link #list()} leaves it out: what can be
     * assigned is what is listed. Refusing rather than listing them because hidden entries are what
     * editors, version control and other tools keep beside scripts (swap files, git's executable
     * sample hooks), not checks someone meant to offer.
     *
     * @throws BadRequestException when it points outside the directory, lexically or through a link, or is hidden
     * @throws NotFoundException   when it is inside but missing, or not an executable regular file
     */
    Script resolve(String reference) {
        if (reference == null || reference.isBlank()) {
            throw new BadRequestException("empty script reference");
        }
        Path ref;
        try {
            ref = Path.of(reference);
        } catch (InvalidPathException e) {
            throw new BadRequestException("script reference is not a path: " + e.getReason());
        }
        Path lexical = ref.isAbsolute() ? ref.normalize() : root.resolve(ref).normalize();
        Path realRoot = realRoot();
        // An absolute reference may spell the directory by its configured path or by its real one.
        Path base = lexical.startsWith(root) ? root : realRoot != null && lexical.startsWith(realRoot) ? realRoot : null;
        if (base == null) {
            throw outside(reference);
        }
        if (lexical.equals(base)) {
            throw new NotFoundException("script " + reference + " is the scripts directory itself, not a script");
        }
        Path relative = base.relativize(lexical);
        String name = name(relative);
        for (Path part : relative) {
            if (hidden(part)) {
                throw new BadRequestException("script " + reference + " is hidden (" + part + " starts with '.'); hidden files"
                        + " and folders in the scripts directory are not scripts");
            }
        }
        Path real;
        try {
            real = lexical.toRealPath();
        } catch (NoSuchFileException e) {
            throw new NotFoundException("script " + name + " not found in the scripts directory " + root);
        } catch (IOException e) {
            throw new NotFoundException("script " + name + " cannot be read in the scripts directory " + root + ": " + e.getMessage());
        }
        if (realRoot == null || !real.startsWith(realRoot)) {
            throw new BadRequestException("script " + reference + " is outside the scripts directory " + root
                    + " (a symbolic link leads out of it)");
        }
        if (!Files.isRegularFile(real) || !Files.isExecutable(real)) {
            throw new NotFoundException("script " + name + " in the scripts directory " + root + " is not an executable file");
        }
        return new Script(name, real);
    }

    private BadRequestException outside(String reference) {
        return new BadRequestException("script " + reference + " is outside the scripts directory " + root
                + "; only scripts inside it can run");
    }

    private Path realRoot() {
        try {
            return root.toRealPath();
        } catch (IOException e) {
            return null;
        }
    }

    private static boolean runnable(Path file, Path realRoot) {
        try {
            Path real = file.toRealPath();
            return real.startsWith(realRoot) && Files.isRegularFile(real) && Files.isExecutable(real);
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean hidden(Path p) {
        return p.getFileName() != null && p.getFileName().toString().startsWith(".");
    }

    /** Names use {@code /} on every platform, so labels and assignments mean the same everywhere. */
    private static String name(Path relative) {
        return relative.toString().replace(relative.getFileSystem().getSeparator(), "/");
    }
}
