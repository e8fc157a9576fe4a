package dev.docksmith.runtime.plugin;

import dev.docksmith.runtime.config.DocksmithConfig;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PluginSettingsTest {

    @Test
    void aPluginsOwnSettingComesFromTheEnvironment() {
        PluginSettings settings = new PluginSettings(DocksmithConfig.defaults(), Map.of("KEYED_REGISTRY_KEY", " s3cret "));
        assertEquals(Optional.of("s3cret"), settings.text("KEYED_REGISTRY_KEY"));
        assertEquals(Optional.empty(), settings.text("KEYED_REGISTRY_HOST"));
    }

    @Test
    void docksmithsOwnSettingsComeFromItsConfigurationOnly() {
        // An embedding host configured no GitHub token: the process environment must not slip one in.
        DocksmithConfig config = DocksmithConfig.from(Map.of("DOCKSMITH_REGISTRY_TIMEOUT", "3s"));
        PluginSettings settings = new PluginSettings(config, Map.of("GITHUB_TOKEN", "from-env", "DOCKSMITH_REGISTRY_TIMEOUT", "9s"));
        assertEquals(Optional.empty(), settings.text("GITHUB_TOKEN"));
        assertEquals(Optional.of("3s"), settings.text("DOCKSMITH_REGISTRY_TIMEOUT"));
    }
}
