package dev.docksmith.strategy.compose;

import dev.docksmith.api.ContainerInfo;
import dev.docksmith.spi.UpdateStrategy;
import dev.docksmith.tck.UpdateStrategyContract;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The TCK's update strategy contract, on a real compose file in a temporary directory and a CLI that
 * only pretends: an {@code up} makes the service run whatever the file declares at that moment. A
 * snapshot is every file of the project directory plus what the service runs.
 */
class ComposeStrategyContractTest extends UpdateStrategyContract {
    static final String PROJECT = "tck-contract"; // unlike any real project, so recovery finds no compose process of it
    static final String ORIGINAL = "services:\n  web:\n    image: 'demo:1.0.0'  # kept as written\n";

    @TempDir
    Path dir;
    final PretendCli cli = new PretendCli();

    /** Records the commands; the service's one container runs what the file declared at the last {@code up}. */
    final class PretendCli extends ComposeCli {
        private final Pattern image = Pattern.compile("image:\\s*['\"]?([^'\"\\s#]+)");
        final List<String> commands = new ArrayList<>();
        String running = "demo:1.0.0";

        @Override
        List<String> commandFor(ContainerInfo container) {
            return V2;
        }

        @Override
        synchronized Result run(List<String> command, Path workingDir, Duration timeout) {
            commands.add(String.join(" ", command));
            if (command.contains("up")) {
                Matcher m = image.matcher(read(composeFile()));
                running = m.find() ? m.group(1) : null;
            }
            return new Result(0, "pretended", Duration.ZERO);
        }

        @Override
        synchronized List<ServiceContainer> containers(String project, String service) {
            return List.of(new ServiceContainer("c1", "/" + PROJECT + "-web-1", "running", running, imageId(running), Map.of()));
        }

        @Override
        synchronized boolean remove(String id) {
            commands.add("docker rm -f " + id);
            return true;
        }
    }

    private Path composeFile() {
        Path file = dir.resolve("compose.yml");
        if (!Files.exists(file)) {
            try {
                Files.writeString(file, ORIGINAL); // on first use: the @TempDir is there once the test runs
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return file;
    }

    private static String imageId(String image) {
        return "sha256:" + Integer.toHexString(String.valueOf(image).hashCode());
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected UpdateStrategy strategy() {
        return new ComposeStrategy(Map.of(), cli);
    }

    @Override
    protected ContainerInfo container() {
        Map<String, String> labels = new HashMap<>(Containers.compose(PROJECT, "web", dir.toString(), composeFile().toString()).labels());
        return new ContainerInfo("id-web", PROJECT + "-web-1", cli.running, imageId(cli.running), "running", labels, Instant.EPOCH);
    }

    @Override
    protected Optional<ContainerInfo> unsupportedContainer() {
        return Optional.of(Containers.withLabels("standalone", Map.of()));
    }

    @Override
    protected String newImage() {
        return "demo:1.1.0";
    }

    @Override
    protected Object snapshot() {
        composeFile();
        Map<String, String> state = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.forEach(f -> state.put(f.getFileName().toString(), read(f)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        state.put("(web runs)", cli.running);
        return state;
    }

    @Override
    protected List<String> changingCalls() {
        synchronized (cli) {
            return List.copyOf(cli.commands);
        }
    }
}
