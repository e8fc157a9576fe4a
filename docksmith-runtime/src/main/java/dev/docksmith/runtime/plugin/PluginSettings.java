package dev.docksmith.runtime.plugin;

import dev.docksmith.runtime.config.Setting;
import dev.docksmith.spi.Settings;

import java.util.Map;
import java.util.Optional;

/**
 * The settings plugins see. Docksmith's configuration keeps only the settings Docksmith defines, so
 * a third-party plugin's own setting ({@code KEYED_REGISTRY_KEY}) would never reach it; any name
 * Docksmith does not define is therefore read from the environment. Docksmith's own names are
 * answered by its configuration alone, so an embedding host's configuration is never overridden
 * by the process environment.
 *
 * @param docksmith   Docksmith's validated configuration
 * @param environment the process environment
 */
public record PluginSettings(Settings docksmith, Map<String, String> environment) implements Settings {

    public PluginSettings {
        environment = Map.copyOf(environment);
    }

    @Override
    public Optional<String> text(String name) {
        boolean docksmiths = Setting.ALL.stream().anyMatch(s -> s.env().equals(name));
        if (docksmiths) {
            return docksmith.text(name);
        }
        return Optional.ofNullable(environment.get(name)).filter(v -> !v.isBlank()).map(String::trim);
    }

    /**
     * Docksmith's settings (which mask their secrets) and only the number of environment variables: the
     * environment holds anything (GITHUB_TOKEN, a plugin's registry password, the host's own secrets),
     * and which of its names are secret cannot be known.
     */
    @Override
    public String toString() {
        return "PluginSettings[docksmith=" + docksmith + ", environment=(" + environment.size() + " variables, not shown)]";
    }
}
