package dev.docksmith.runtime.plugin;

import dev.docksmith.api.DocksmithException;
import dev.docksmith.api.ImageRef;
import dev.docksmith.spi.RegistryClient;
import dev.docksmith.spi.RegistryPlugin;

import java.util.List;

/** Chooses the registry plugin for an image: the first, in priority order, that serves it. */
public final class RegistryDirectory {
    private final List<RegistryPlugin> plugins;

    /** @param plugins highest priority first ({@link dev.docksmith.runtime.plugin.PluginLoader#byPriority}) */
    public RegistryDirectory(List<RegistryPlugin> plugins) {
        this.plugins = List.copyOf(plugins);
    }

    /**
     * The client for the image's registry.
     *
     * @throws DocksmithException naming the registry and every plugin asked, when none serves it
     */
    public RegistryClient clientFor(ImageRef image) {
        for (RegistryPlugin plugin : plugins) {
            if (serves(plugin, image)) {
                return plugin.client(image);
            }
        }
        throw new DocksmithException("no registry plugin serves " + image.registry() + " (asked: "
                + (plugins.isEmpty() ? "none installed" : String.join(", ", plugins.stream().map(RegistryPlugin::name).toList())) + ")");
    }

    /**
     * A {@code serves()} that throws counts as "no": the first plugin asked is asked about every
     * image, so one bug there would otherwise fail the check of every container.
     */
    private static boolean serves(RegistryPlugin plugin, ImageRef image) {
        return PluginCalls.orElse(plugin, () -> "serves(" + image + ")", () -> plugin.serves(image), false,
                "skipped for this image");
    }
}
