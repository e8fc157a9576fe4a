package dev.docksmith.registry.ghcr;

import dev.docksmith.registry.v2.RegistryConfig;
import dev.docksmith.spi.RegistryPlugin;
import dev.docksmith.tck.FakeRegistry;
import dev.docksmith.tck.RegistryContract;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The TCK's registry contract for GHCR: {@code ghcr.io} images at the fake, anonymous tokens as for public packages. */
class GhcrRegistryContractTest extends RegistryContract {
    @TempDir
    Path dockerConfig;

    @Override
    protected String registryName(FakeRegistry registry) {
        return GhcrRegistryPlugin.REGISTRY;
    }

    @Override
    protected RegistryPlugin plugin(FakeRegistry registry) {
        RegistryConfig config = RegistryConfig.of(Map.of()).withDockerConfigDir(dockerConfig).withHelperPath(List.of())
                .withRetries(2, Duration.ofMillis(10), Duration.ofSeconds(5)).withTimeout(Duration.ofSeconds(5));
        return new GhcrRegistryPlugin(config, registry.baseUri());
    }

    @Override
    protected boolean anonymousTokens() {
        return true;
    }
}
