package dev.docksmith.spi;

import dev.docksmith.api.ImageRef;

/**
 * Speaks to one kind of registry. For each image the runtime asks every registry plugin whether it
 * {@link #serves} the image and uses the highest {@link #priority()} among those that do.
 */
public interface RegistryPlugin extends Plugin {
    /** True when this plugin can answer for the image's registry. */
    boolean serves(ImageRef image);

    /** Higher wins among plugins that serve an image; a generic plugin stays at 0. */
    default int priority() {
        return 0;
    }

    /**
     * The client for the image's registry. Called often: return a shared client per registry host,
     * so that connections and tokens are reused across checks.
     */
    RegistryClient client(ImageRef image);
}
