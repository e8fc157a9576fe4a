package dev.docksmith.strategy.compose;

import dev.docksmith.api.ContainerInfo;
import dev.docksmith.strategy.compose.RealCompose.Result;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.docksmith.strategy.compose.RealCompose.concat;
import static dev.docksmith.strategy.compose.RealCompose.inspect;
import static dev.docksmith.strategy.compose.RealCompose.removeLeftovers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Projects brought up by the real compose CLIs (v2 plugin and v1 {@code docker-compose}): the labels
 * they write must lead the strategy to the same image compose itself chose.
 */
class ComposeReadIT {
    static final String DEMO = RealCompose.DEMO;

    @BeforeAll
    static void requireEngine() {
        RealCompose.requireEngine("ComposeReadIT");
    }

    @ParameterizedTest
    @ValueSource(strings = {"v2", "v1"})
    void declaredImageMatchesWhatComposeRan(String flavour, @TempDir Path dir) throws IOException {
        List<String> cli = flavour.equals("v2") ? List.of("docker", "compose") : List.of("docker-compose");
        Result version = run(concat(cli, List.of("version")), dir);
        assertEquals(0, version.exit(), "the " + flavour + " compose CLI is needed: " + version.output());

        Files.writeString(dir.resolve("compose.yml"), """
                services:
                  web:
                    image: %1$s:${DEMO_TAG:-1.0.0}
                    network_mode: none
                    labels: [dev.docksmith.test=true]
                  worker:
                    image: %1$s:1.0.0
                    network_mode: none
                    labels: [dev.docksmith.test=true]
                """.formatted(DEMO));
        Files.writeString(dir.resolve("override.yml"), """
                services:
                  worker:
                    image: "%s:${WORKER_TAG:-2.0.0}"   # the later -f file wins
                """.formatted(DEMO));
        Files.writeString(dir.resolve(".env"), "# chosen by the test\nDEMO_TAG=1.1.0\n");
        String project = "composeread" + flavour + Long.toString(System.nanoTime(), 36);
        // Relative -f paths, run from the project dir: v1 records them as given, v2 makes them absolute.
        List<String> files = List.of("-p", project, "-f", "compose.yml", "-f", "override.yml");
        try {
            Result up = run(concat(cli, files, List.of("up", "-d")), dir);
            assertEquals(0, up.exit(), up.output());

            ComposeStrategy strategy = new ComposeStrategy(Map.of());
            ContainerInfo web = inspect(project, "web");
            ContainerInfo worker = inspect(project, "worker");
            String configFiles = web.labels().get(ContainerInfo.COMPOSE_CONFIG_FILES);
            if (flavour.equals("v1")) {
                assertEquals("compose.yml,override.yml", configFiles, "v1 writes -f as given");
            } else {
                assertTrue(configFiles.startsWith("/"), "v2 writes absolute paths: " + configFiles);
            }
            assertTrue(strategy.supports(web));
            assertEquals(Optional.of(DEMO + ":1.1.0"), strategy.declaredImage(web), "DEMO_TAG from .env");
            assertEquals(Optional.of(DEMO + ":2.0.0"), strategy.declaredImage(worker), "override.yml's default");
            // The real check: compose itself resolved the same references.
            assertEquals(web.image(), strategy.declaredImage(web).orElseThrow());
            assertEquals(worker.image(), strategy.declaredImage(worker).orElseThrow());
            assertEquals(dir.resolve("override.yml").toRealPath(),
                    strategy.service(worker).source().file().toRealPath());
        } finally {
            run(concat(cli, files, List.of("down", "--timeout", "1")), dir);
            removeLeftovers(project);
        }
    }

    /** The variables must come from .env and defaults, not from whoever runs the build. */
    private static Result run(List<String> command, Path dir) {
        return RealCompose.run(command, dir, "DEMO_TAG", "WORKER_TAG");
    }
}
