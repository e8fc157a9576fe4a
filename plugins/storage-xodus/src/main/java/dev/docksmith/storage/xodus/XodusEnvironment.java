package dev.docksmith.storage.xodus;

import dev.docksmith.api.StorageException;
import jetbrains.exodus.ExodusException;
import jetbrains.exodus.env.Environment;
import jetbrains.exodus.env.EnvironmentConfig;
import jetbrains.exodus.env.Environments;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Opens a Xodus environment configured for Docksmith, and says plainly why a directory cannot be used. */
final class XodusEnvironment {
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
            return Environments.newInstance(dir.toFile(), config());
        } catch (ExodusException e) {
            String message = String.valueOf(e.getMessage());
            if (message.contains("acquire environment lock")) {
                throw new StorageException("another Docksmith process is using " + dir
                        + " (its lock file " + dir.resolve("xd.lck") + " is held); stop it or choose another data directory", e);
            }
            throw new StorageException("cannot open the store in " + dir + ": " + firstLine(message), e);
        }
    }

    /** Creates the directory if needed and proves it is writable by writing to it (root ignores mode bits). */
    private static void usableDirectory(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (FileAlreadyExistsException e) {
            throw new StorageException("cannot use " + dir + " for the store: it exists and is not a directory", e);
        } catch (IOException e) {
            throw new StorageException("cannot create the store directory " + dir + ": " + reason(e), e);
        }
        try {
            Files.delete(Files.createTempFile(dir, ".write-check", ".tmp"));
        } catch (IOException e) {
            throw new StorageException("the store directory " + dir + " is not writable: " + reason(e), e);
        }
    }

    private static String reason(IOException e) {
        if (e instanceof java.nio.file.FileSystemException fse && fse.getReason() != null) {
            return fse.getReason();
        }
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage());
    }

    private static String firstLine(String message) {
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
