package com.example.keyedregistry;

import dev.docksmith.spi.RegistryPlugin;
import dev.docksmith.tck.FakeRegistry;
import dev.docksmith.tck.RegistryContract;

import java.util.Map;

/** The plugin TCK's registry contract, against its fake v2 registry (which ignores the key header). */
class KeyedRegistryContractTest extends RegistryContract {

    @Override
    protected String registryName(FakeRegistry registry) {
        return registry.authority();
    }

    @Override
    protected RegistryPlugin plugin(FakeRegistry registry) {
        return TestContext.started(Map.of(
                KeyedRegistryPlugin.HOST_SETTING, registry.authority(),
                KeyedRegistryPlugin.KEY_SETTING, "contract-key"));
    }
}
