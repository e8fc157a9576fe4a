package dev.docksmith.tck;

import dev.docksmith.api.UpdateCandidate;
import dev.docksmith.api.Verdict;
import dev.docksmith.spi.PreUpdateCheck;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** {@link PreUpdateCheckContract} run against {@link FileChecks} and broken variants; see {@link ContractsCatchBrokenPluginsTest}. */
final class CheckFixtures {
    private CheckFixtures() {
    }

    /** Keeps the contract. */
    static class Sound extends PreUpdateCheckContract {
        @TempDir
        Path tmp;
        Path dir;

        @Override
        protected PreUpdateCheck plugin() throws IOException {
            dir = Files.createDirectories(tmp.resolve("checks"));
            return plugin(dir);
        }

        FileChecks plugin(Path dir) {
            return new FileChecks(dir);
        }

        @Override
        protected String createCheck(String name, Behaviour behaviour, String says) throws IOException {
            String content = switch (behaviour) {
                case ALLOW -> "allow";
                case BLOCK -> "block " + says;
                case CRASH -> "%%% not a check %%%";
            };
            Files.writeString(dir.resolve(name + FileChecks.SUFFIX), content + "\n");
            return name + FileChecks.SUFFIX;
        }

        @Override
        protected void deleteCheck(String listedName) throws IOException {
            Files.delete(dir.resolve(listedName));
        }

        @Override
        protected List<String> outsideReferences() throws IOException {
            Path outside = Files.writeString(tmp.resolve("outside" + FileChecks.SUFFIX), "allow\n");
            return List.of("../outside" + FileChecks.SUFFIX, outside.toString());
        }

        @Override
        protected Optional<String> createUnusable(String name) throws IOException {
            Files.writeString(dir.resolve(name + ".txt"), "allow\n");
            return Optional.of(name + ".txt");
        }
    }

    /** Throws when a check fails instead of answering block. */
    static class ThrowsOnAFailingCheck extends Sound {
        @Override
        FileChecks plugin(Path dir) {
            return new FileChecks(dir) {
                @Override
                public Verdict run(String check, UpdateCandidate candidate) {
                    Verdict verdict;
                    try {
                        verdict = evaluate(check);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    if (!verdict.allowed()) {
                        throw new IllegalStateException("check " + check + " failed: " + verdict.reason());
                    }
                    return verdict;
                }
            };
        }
    }

    /** Resolves any path that exists, inside the directory or not. */
    static class NoContainment extends Sound {
        @Override
        FileChecks plugin(Path dir) {
            return new FileChecks(dir) {
                @Override
                protected boolean inside(Path file) {
                    return true;
                }
            };
        }
    }

    /** Lists every file, including ones that are not checks. */
    static class ListsEverything extends Sound {
        @Override
        FileChecks plugin(Path dir) {
            return new FileChecks(dir) {
                @Override
                protected boolean offered(Path file) {
                    return Files.isRegularFile(file);
                }
            };
        }
    }
}
