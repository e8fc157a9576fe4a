package dev.docksmith.registry.dockerhub;

import dev.docksmith.api.ImageRef;
import dev.docksmith.registry.v2.RegistryConfig;
import dev.docksmith.spi.RegistryPlugin;
import dev.docksmith.tck.FakeRegistry;
import dev.docksmith.tck.RegistryContract;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The TCK's registry contract for Docker Hub: {@code docker.io} images, with the registry API (and
 * Hub's web API, unused unless its setting is on) at the fake, which hands out anonymous tokens as
 * {@code auth.docker.io} does.
 */
class DockerHubRegistryContractTest extends RegistryContract {
    @TempDir
    Path dockerConfig;

    @Override
    protected String registryName(FakeRegistry registry) {
        return ImageRef.DOCKER_HUB;
    }

    @Override
    protected RegistryPlugin plugin(FakeRegistry registry) {
        RegistryConfig config = RegistryConfig.of(Map.of()).withDockerConfigDir(dockerConfig).withHelperPath(List.of())
                .withRetries(2, Duration.ofMillis(10), Duration.ofSeconds(5)).withTimeout(Duration.ofSeconds(5));
        return new DockerHubRegistryPlugin(config, registry.baseUri(), registry.baseUri());
    }

    @Override
    protected boolean anonymousTokens() {
        return true;
    }
}
