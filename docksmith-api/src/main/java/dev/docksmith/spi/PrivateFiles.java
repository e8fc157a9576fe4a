package dev.docksmith.spi;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Keeps what Docksmith stores readable by its own user only: directories {@code 0700}, files {@code 0600}.
 * Update plans hold compose files, and compose files often hold passwords.
 *
 * <p>Java cannot set the process umask, and a library that creates files itself (Xodus) uses
 * whatever the umask gives, so besides creating directories owner-only this takes group and other
 * bits away from files already there. It only ever removes bits: a file the owner made read-only
 * (Xodus does so with full log files) stays read-only. On a file system without POSIX permissions
 * it does nothing. Stateless and thread-safe.
 */
public final class PrivateFiles {
    private static final Set<PosixFilePermission> NOT_OWNER = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private PrivateFiles() {
    }

    /**
     * Creates {@code dir} (and missing parents) as {@code 0700}. An existing directory is left as it is:
     * say so with {@link #restrict(Path)}, which tells whether it was open.
     *
     * @param dir the directory
     * @return {@code dir}
     * @throws IOException as {@link Files#createDirectories}
     */
    public static Path createDirectories(Path dir) throws IOException {
        if (Files.isDirectory(dir) || !dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return Files.createDirectories(dir);
        }
        // The attribute is narrowed by the umask, which can only take bits away from 0700.
        return Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }

    /**
     * Takes group and other permissions away from {@code path} (a symbolic link is left alone).
     *
     * @param path a file or directory
     * @return the permissions it had, as {@code rwxr-xr-x}, when it had any for group or others; null when
     * it was private already or permissions do not apply
     * @throws IOException when the permissions cannot be read or changed (another user's file)
     */
    public static String restrict(Path path) throws IOException {
        if (Files.isSymbolicLink(path)) {
            return null; // what it points to is not ours to change
        }
        // Not NOFOLLOW_LINKS: with it the JDK opens the file to fchmod it, and closing that descriptor drops
        // every POSIX lock this process holds on the file (Xodus's xd.lck: another process could then open
        // the same store). A plain chmod by path opens nothing.
        PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class);
        if (view == null) {
            return null;
        }
        Set<PosixFilePermission> now = view.readAttributes().permissions();
        if (now.stream().noneMatch(NOT_OWNER::contains)) {
            return null;
        }
        Set<PosixFilePermission> owner = EnumSet.copyOf(now);
        owner.removeAll(NOT_OWNER);
        view.setPermissions(owner);
        return PosixFilePermissions.toString(now);
    }

    /**
     * {@link #restrict(Path) Restricts} every entry directly in {@code dir} (not the directory itself,
     * not deeper). An entry that vanished meanwhile is skipped.
     *
     * @param dir the directory
     * @return the names of the entries that were open to group or others
     * @throws UncheckedIOException when the directory cannot be listed or an entry cannot be changed
     */
    public static List<String> restrictEntries(Path dir) {
        List<String> changed = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                try {
                    if (restrict(entry) != null) {
                        changed.add(entry.getFileName().toString());
                    }
                } catch (NoSuchFileException gone) {
                    // deleted between the listing and now (Xodus removes old log files): nothing to protect
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("restricting the files in " + dir + " to their owner: " + e.getMessage(), e);
        }
        return changed;
    }
}
