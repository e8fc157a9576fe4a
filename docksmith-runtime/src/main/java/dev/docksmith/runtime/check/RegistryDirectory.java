package dev.docksmith.runtime.check;

import dev.docksmith.api.DocksmithException;
import dev.docksmith.api.ImageRef;
import dev.docksmith.spi.RegistryClient;
import dev.docksmith.spi.RegistryPlugin;

import java.util.Comparator;
import java.util.List;

/** Chooses the registry plugin for an image: the highest priority among those that serve it. */
public final class RegistryDirectory {
    private final List<RegistryPlugin> plugins;

    public RegistryDirectory(List<RegistryPlugin> plugins) {
        this.plugins = plugins.stream().sorted(Comparator.comparingInt(RegistryPlugin::priority).reversed()).toList();
    }

    /**
     * The client for the image's registry.
     *
     * @throws DocksmithException naming the registry and every plugin asked, when none serves it
     */
    public RegistryClient clientFor(ImageRef image) {
        for (RegistryPlugin plugin : plugins) {
            if (plugin.serves(image)) {
                return plugin.client(image);
            }
        }
        throw new DocksmithException("no registry plugin serves " + image.registry() + " (asked: "
                + (plugins.isEmpty() ? "none installed" : String.join(", ", plugins.stream().map(RegistryPlugin::name).toList())) + ")");
    }
}
