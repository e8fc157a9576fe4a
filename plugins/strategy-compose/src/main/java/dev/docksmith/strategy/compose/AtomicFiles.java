package dev.docksmith.strategy.compose;

import dev.docksmith.api.DocksmithException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Replaces a file's content atomically: the new bytes go to a temporary file in the same directory
 * (same permissions and, where allowed, owner), which is fsynced, renamed over the original with
 * {@code ATOMIC_MOVE}, and the directory fsynced. A reader sees the old file or the new one, never a
 * partial one, even if the process dies mid-way; only the temporary file can be left behind, and the
 * next write to the same file removes it (its name is {@code .<name>.docksmith-<random>.tmp}).
 */
final class AtomicFiles {
    static final String TEMP_INFIX = ".docksmith-";
    static final String TEMP_SUFFIX = ".tmp";
    private static final ConcurrentHashMap<Path, Object> LOCKS = new ConcurrentHashMap<>();

    private AtomicFiles() {
    }

    /**
     * Reads a file whole.
     *
     * @param what how messages name it ("compose file", "env file")
     */
    static byte[] read(Path file, String what) {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new DocksmithException(what + " " + file + " does not exist");
        } catch (AccessDeniedException e) {
            throw new DocksmithException(what + " " + file + " cannot be read: permission denied");
        } catch (IOException e) {
            throw new DocksmithException(what + " " + file + " cannot be read: " + e.getMessage());
        }
    }

    /**
     * Replaces {@code file}'s content with {@code content}.
     *
     * @param expected the bytes the file must still hold, or null to replace whatever it holds
     * @param what     how messages name the file
     * @throws DocksmithException naming the file and the reason; the file is then unchanged
     */
    static void replace(Path file, byte[] expected, byte[] content, String what) {
        Path target = realPath(file, what);
        Path dir = target.getParent();
        synchronized (LOCKS.computeIfAbsent(target, p -> new Object())) {
            removeStaleTemps(dir, target.getFileName().toString());
            PosixFileAttributes attrs = attributes(target, what);
            Path tmp = dir.resolve("." + target.getFileName() + TEMP_INFIX
                    + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36) + TEMP_SUFFIX);
            boolean moved = false;
            try {
                try {
                    Files.createFile(tmp);
                } catch (IOException e) {
                    throw new DocksmithException(what + " " + file + " cannot be rewritten: cannot create a file in "
                            + dir + " (" + reason(e) + ")", e);
                }
                copyOwnership(tmp, attrs);
                try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                    ByteBuffer buf = ByteBuffer.wrap(content);
                    while (buf.hasRemaining()) {
                        ch.write(buf);
                    }
                    ch.force(true);
                }
                if (expected != null) {
                    byte[] now = read(target, what);
                    if (!Arrays.equals(now, expected)) {
                        throw new DocksmithException(what + " " + file + " changed since it was read; not overwriting it");
                    }
                }
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                moved = true;
                fsyncDirectory(dir);
            } catch (IOException e) {
                throw new DocksmithException(what + " " + file + " cannot be rewritten: " + reason(e), e);
            } finally {
                if (!moved) {
                    try {
                        Files.deleteIfExists(tmp);
                    } catch (IOException ignored) {
                        // Left for the next write to remove.
                    }
                }
            }
        }
    }

    /** Checks a file could be replaced now, without changing anything: the directory accepts a new file. */
    static void checkWritable(Path file, String what) {
        Path target = realPath(file, what);
        attributes(target, what);
        Path dir = target.getParent();
        Path probe = dir.resolve("." + target.getFileName() + TEMP_INFIX + "probe-"
                + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36) + TEMP_SUFFIX);
        try {
            Files.createFile(probe);
            Files.delete(probe);
        } catch (IOException e) {
            throw new DocksmithException(what + " " + file + " cannot be rewritten: cannot create a file in "
                    + dir + " (" + reason(e) + ")", e);
        }
    }

    static boolean isTempFor(String tempName, String targetName) {
        return tempName.startsWith("." + targetName + TEMP_INFIX) && tempName.endsWith(TEMP_SUFFIX);
    }

    private static Path realPath(Path file, String what) {
        try {
            // Through a symlink, replace the file it points to rather than the link.
            return file.toRealPath();
        } catch (NoSuchFileException e) {
            throw new DocksmithException(what + " " + file + " does not exist");
        } catch (IOException e) {
            throw new DocksmithException(what + " " + file + " cannot be resolved: " + reason(e), e);
        }
    }

    private static PosixFileAttributes attributes(Path target, String what) {
        try {
            PosixFileAttributes a = Files.readAttributes(target, PosixFileAttributes.class);
            if (!a.isRegularFile()) {
                throw new DocksmithException(what + " " + target + " is not a regular file");
            }
            return a;
        } catch (IOException e) {
            throw new DocksmithException(what + " " + target + " cannot be read: " + reason(e), e);
        }
    }

    /** Same permissions (set explicitly, so the umask does not narrow them) and, when allowed, same owner. */
    private static void copyOwnership(Path tmp, PosixFileAttributes attrs) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(tmp, PosixFileAttributeView.class);
        PosixFileAttributes mine = view.readAttributes();
        try {
            if (!mine.group().equals(attrs.group())) {
                view.setGroup((GroupPrincipal) attrs.group());
            }
            if (!mine.owner().equals(attrs.owner())) {
                view.setOwner(attrs.owner());
            }
        } catch (FileSystemException e) {
            // Not root and not the owner: the file becomes ours, as any editor saving it would make it.
        }
        Set<PosixFilePermission> perms = attrs.permissions();
        view.setPermissions(perms);
    }

    private static void fsyncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Some file systems cannot fsync a directory; the rename is still atomic.
        }
    }

    private static void removeStaleTemps(Path dir, String targetName) {
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, p -> isTempFor(p.getFileName().toString(), targetName))) {
            for (Path p : s) {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // Not ours to worry about beyond trying.
                }
            }
        } catch (IOException ignored) {
            // An unreadable directory fails the write itself, with a better message.
        }
    }

    private static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
