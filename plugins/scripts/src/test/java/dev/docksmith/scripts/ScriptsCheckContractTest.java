package dev.docksmith.scripts;

import dev.docksmith.spi.PreUpdateCheck;
import dev.docksmith.tck.PreUpdateCheckContract;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The TCK's pre-update check contract, with real shell scripts in a temporary scripts directory. */
class ScriptsCheckContractTest extends PreUpdateCheckContract {
    @TempDir
    Path tmp;
    Path dir;

    @Override
    protected PreUpdateCheck plugin() throws IOException {
        dir = Files.createDirectories(tmp.resolve("scripts"));
        return new ScriptsCheck(dir, Duration.ofSeconds(10));
    }

    @Override
    protected String createCheck(String name, Behaviour behaviour, String says) throws IOException {
        String script = switch (behaviour) {
            case ALLOW -> "#!/bin/sh\nexit 0\n";
            case BLOCK -> "#!/bin/sh\necho '" + says.replace("'", "") + "'\nexit 1\n";
            // an interpreter that does not exist: the script cannot even start
            case CRASH -> "#!/nonexistent/tck-interpreter\nexit 0\n";
        };
        return executable(dir.resolve(name + ".sh"), script);
    }

    @Override
    protected void deleteCheck(String listedName) throws IOException {
        Files.delete(dir.resolve(listedName));
    }

    @Override
    protected List<String> outsideReferences() throws IOException {
        Path outside = tmp.resolve("outside.sh");
        executable(outside, "#!/bin/sh\nexit 0\n");
        Files.createSymbolicLink(dir.resolve("link.sh"), outside);
        return List.of("../outside.sh", outside.toString(), "link.sh", "/bin/sh");
    }

    @Override
    protected Optional<String> createUnusable(String name) throws IOException {
        Files.writeString(dir.resolve(name + ".txt"), "#!/bin/sh\nexit 0\n"); // not executable
        return Optional.of(name + ".txt");
    }

    private String executable(Path file, String content) throws IOException {
        Files.writeString(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file.getFileName().toString();
    }
}
