package dev.docksmith.storage.xodus;

import dev.docksmith.api.StorageException;
import dev.docksmith.spi.PrivateFiles;
import jetbrains.exodus.ExodusException;
import jetbrains.exodus.env.Environment;
import jetbrains.exodus.env.EnvironmentConfig;
import jetbrains.exodus.env.Environments;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Opens a Xodus environment configured for Docksmith, and says plainly why a directory cannot be used.
 * The directory is kept {@code 0700} and its files {@code 0600}: operations hold compose files' bytes.
 */
final class XodusEnvironment {
    private static final System.Logger LOG = System.getLogger(XodusEnvironment.class.getName());
    /**
     * Xodus's log cache is its only sizeable memory. Its default is 50% of the max heap, which would eat the
     * whole budget (Docksmith must stay under ~75 MiB resident). Docksmith's data is small: 10,000 check
     * records of ~250 bytes of JSON are ~2.5 MB, and operations and settings far less, so 4 MiB (64 pages of
     * 64 KiB) holds the hot part of the trees; anything else is one page read from the OS page cache away.
     */
    static final long CACHE_BYTES = 4L * 1024 * 1024;

    private XodusEnvironment() {
    }

    static EnvironmentConfig config() {
        return new EnvironmentConfig()
                .setMemoryUsage(CACHE_BYTES)
                // A cache of our own rather than Xodus's JVM-wide shared one, so its size is the one set above
                // even when the host JVM (embedded use) opened another Xodus environment first.
                .setLogCacheShared(false)
                // Xodus's default writes a commit to the OS and fsyncs only every exodus.log.syncPeriod (10 s);
                // the Store contract says durable on return, so fsync on every commit.
                .setLogDurableWrite(true)
                // Fail at once when another process holds the directory lock, instead of waiting.
                .setLogLockTimeout(0)
                // No JMX beans: nothing reads them, and they cost memory and clash in tests that open many stores.
                .setManagementEnabled(false)
                // close() always releases the lock, even if a request thread is still inside a transaction
                // during shutdown; that transaction was not committed, so nothing promised is lost.
                .setEnvCloseForcedly(true);
    }

    static Environment open(Path dir) {
        usableDirectory(dir);
        try {
            Environment env = Environments.newInstance(dir.toFile(), config());
            restrictFiles(dir); // Xodus created its lock and log files with the umask's modes (often 0644)
            return env;
        } catch (ExodusException e) {
            String message = String.valueOf(e.getMessage());
            if (message.contains("acquire environment lock")) {
                throw new StorageException("another Docksmith process is using " + dir
                        + " (its lock file " + dir.resolve("xd.lck") + " is held); stop it or choose another data directory", e);
            }
            throw new StorageException("cannot open the store in " + dir + ": " + firstLine(message), e);
        }
    }

    /**
     * Takes group and other permissions away from the files in the store directory. Xodus creates files
     * of its own (a new log file whenever one is full, and while compacting) with the umask's modes, which
     * Java cannot set; the directory being {@code 0700} already keeps other users out, this keeps each
     * file private too, should it be copied or the directory opened up. Never fails: the data is saved.
     */
    static void restrictFiles(Path dir) {
        try {
            List<String> opened = PrivateFiles.restrictEntries(dir);
            if (!opened.isEmpty()) {
                LOG.log(System.Logger.Level.DEBUG, "store files {0} in {1} were readable by other users; now 0600", opened, dir);
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot make the store files in {0} private to their owner: {1}", dir, e.getMessage());
        }
    }

    /**
     * Creates the directory if needed ({@code 0700}, or made so, saying it was open) and proves it is
     * writable by writing to it (root ignores mode bits).
     */
    private static void usableDirectory(Path dir) {
        try {
            PrivateFiles.createDirectories(dir);
        } catch (FileAlreadyExistsException e) {
            throw new StorageException("cannot use " + dir + " for the store: it exists and is not a directory", e);
        } catch (IOException e) {
            throw new StorageException("cannot create the store directory " + dir + ": " + reason(e), e);
        }
        try {
            String was = PrivateFiles.restrict(dir);
            if (was != null) {
                LOG.log(System.Logger.Level.WARNING, "the store directory {0} was open to other users ({1}); changed to rwx------",
                        dir, was);
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot make the store directory {0} private to its owner: {1}", dir, reason(e));
        }
        try {
            Files.delete(Files.createTempFile(dir, ".write-check", ".tmp"));
        } catch (IOException e) {
            throw new StorageException("the store directory " + dir + " is not writable: " + reason(e), e);
        }
    }

    private static String reason(IOException e) {
        if (e instanceof FileSystemException fse && fse.getReason() != null) {
            return fse.getReason();
        }
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage());
    }

    private static String firstLine(String message) {
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
