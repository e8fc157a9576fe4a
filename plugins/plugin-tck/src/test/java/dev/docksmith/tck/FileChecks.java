package dev.docksmith.tck;

import dev.docksmith.api.BadRequestException;
import dev.docksmith.api.NotFoundException;
import dev.docksmith.api.UpdateCandidate;
import dev.docksmith.api.Verdict;
import dev.docksmith.spi.PreUpdateCheck;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * A pre-update check plugin that keeps the contract without running processes: each check is a file
 * {@code <name>.check} in one directory, whose first line is {@code allow} or {@code block <reason>};
 * anything else makes the check fail as a crashing script would.
 */
class FileChecks implements PreUpdateCheck {
    static final String SUFFIX = ".check";
    protected final Path dir;

    FileChecks(Path dir) {
        this.dir = dir.toAbsolutePath().normalize();
    }

    @Override
    public String name() {
        return "tck-file-checks";
    }

    @Override
    public List<String> available() {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(this::offered).map(f -> f.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** True for what {@link #available()} lists. */
    protected boolean offered(Path file) {
        return Files.isRegularFile(file) && file.getFileName().toString().endsWith(SUFFIX);
    }

    @Override
    public String resolve(String reference) {
        Path file;
        try {
            file = dir.resolve(reference).normalize();
        } catch (InvalidPathException e) {
            throw new BadRequestException("not a check name: " + reference);
        }
        if (!inside(file)) {
            throw new BadRequestException("check " + reference + " is outside " + dir);
        }
        if (!file.getFileName().toString().endsWith(SUFFIX) || !Files.isRegularFile(file)) {
            throw new NotFoundException("no check " + reference + " in " + dir);
        }
        return dir.relativize(file).toString();
    }

    protected boolean inside(Path file) {
        return file.startsWith(dir) && !file.equals(dir);
    }

    @Override
    public Verdict run(String check, UpdateCandidate candidate) {
        try {
            return evaluate(check);
        } catch (IOException | RuntimeException e) {
            return Verdict.block("check " + check + " failed: " + e.getMessage());
        }
    }

    /** The check's answer; throws when the file is gone or cannot be understood. */
    protected Verdict evaluate(String check) throws IOException {
        String first = Files.readAllLines(dir.resolve(resolve(check))).stream().findFirst().orElse("");
        if (first.equals("allow")) {
            return Verdict.allow();
        }
        if (first.startsWith("block ")) {
            return Verdict.block(first.substring("block ".length()));
        }
        throw new IllegalStateException("check " + check + " cannot be understood: " + first);
    }
}
