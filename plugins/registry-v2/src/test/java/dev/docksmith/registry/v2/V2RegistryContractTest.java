package dev.docksmith.registry.v2;

import dev.docksmith.spi.RegistryPlugin;
import dev.docksmith.tck.FakeRegistry;
import dev.docksmith.tck.RegistryContract;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The TCK's registry contract: the generic plugin on a loopback registry that hands out anonymous tokens. */
class V2RegistryContractTest extends RegistryContract {
    @TempDir
    Path dockerConfig;

    @Override
    protected String registryName(FakeRegistry registry) {
        return registry.authority(); // a loopback registry name: spoken to over plain http, as the fake is
    }

    @Override
    protected RegistryPlugin plugin(FakeRegistry registry) {
        return new V2RegistryPlugin(TestSupport.config(dockerConfig));
    }

    @Override
    protected boolean anonymousTokens() {
        return true;
    }

    /** Not part of the contract: shows the tests above went through the token dance, as against Docker Hub. */
    @Test
    void askedTheTokenServiceFirst() {
        client(image(REPOSITORY, "latest")).tags(image(REPOSITORY, "latest"));
        assertTrue(registry.requests().stream().anyMatch(r -> r.startsWith("GET /token?")), registry.requests().toString());
    }
}
