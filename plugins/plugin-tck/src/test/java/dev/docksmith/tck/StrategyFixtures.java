package dev.docksmith.tck;

import dev.docksmith.api.Applied;
import dev.docksmith.api.Change;
import dev.docksmith.api.ContainerInfo;
import dev.docksmith.spi.StageListener;
import dev.docksmith.spi.UpdateStrategy;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/** {@link UpdateStrategyContract} run against {@link FileStrategy} and broken variants; see {@link ContractsCatchBrokenPluginsTest}. */
final class StrategyFixtures {
    private StrategyFixtures() {
    }

    /** Keeps the contract. */
    static class Sound extends UpdateStrategyContract {
        @TempDir
        Path dir;
        final Map<String, String> engine = new ConcurrentHashMap<>(Map.of("web", "demo:1.0.0"));

        @Override
        protected UpdateStrategy strategy() {
            definitionOfWeb();
            return strategy(dir, engine);
        }

        FileStrategy strategy(Path dir, Map<String, String> engine) {
            return new FileStrategy(dir, engine);
        }

        /** Written on first use: the @TempDir is only there once the test runs. */
        private void definitionOfWeb() {
            Path file = dir.resolve("web.image");
            if (!Files.exists(file)) {
                FileStrategy.write(file, "demo:1.0.0");
            }
        }

        @Override
        protected ContainerInfo container() {
            definitionOfWeb();
            return new ContainerInfo("id-web", "web", engine.get("web"), "sha256:00", "running", Map.of(), null);
        }

        @Override
        protected Optional<ContainerInfo> unsupportedContainer() {
            return Optional.of(new ContainerInfo("id-db", "db", "postgres:16", "sha256:01", "running", Map.of(), null));
        }

        @Override
        protected String newImage() {
            return "demo:1.1.0";
        }

        @Override
        protected Object snapshot() {
            definitionOfWeb();
            Map<String, String> state = new TreeMap<>();
            try (Stream<Path> files = Files.list(dir)) {
                files.forEach(f -> state.put(f.getFileName().toString(), FileStrategy.read(f)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            engine.forEach((name, image) -> state.put("running " + name, image));
            return state;
        }
    }

    /** Writes the new image into the definition while planning. */
    static class PlanWrites extends Sound {
        @Override
        FileStrategy strategy(Path dir, Map<String, String> engine) {
            return new FileStrategy(dir, engine) {
                @Override
                public Applied plan(Change change) {
                    Applied plan = super.plan(change);
                    write(definition(plan.containerName()), change.newImage());
                    return plan;
                }
            };
        }
    }

    /** Restores the definition on undo but leaves the new container running. */
    static class UndoLeavesTheNewContainer extends Sound {
        @Override
        FileStrategy strategy(Path dir, Map<String, String> engine) {
            return new FileStrategy(dir, engine) {
                @Override
                public void undo(Applied applied, StageListener stages) {
                    write(definition(applied.containerName()), applied.undo().get("definition"));
                }
            };
        }
    }
}
