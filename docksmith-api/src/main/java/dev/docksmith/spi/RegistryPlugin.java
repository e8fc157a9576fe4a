package dev.docksmith.spi;

import dev.docksmith.api.ImageRef;

/**
 * Speaks to one kind of registry. For each image the runtime asks the registry plugins, highest
 * {@link #priority()} first, whether they {@link #serves serve} it, and uses the first that does.
 * When none does, the container's check reports an error naming the registry and every plugin asked.
 * Thread-safe: called from many check threads at once.
 */
public interface RegistryPlugin extends Plugin {
    /**
     * Whether this plugin can answer for the image's registry. Quick and free of I/O: it is asked for
     * every image of every check.
     *
     * @param image the image, normalised ({@code docker.io} for Docker Hub)
     * @return true when this plugin can answer for it
     */
    boolean serves(ImageRef image);

    /**
     * Ranks this plugin among those that serve an image. A generic plugin (the bundled
     * {@code registry-v2}, which serves every registry) stays at 0; a plugin for one registry
     * answers more.
     *
     * @return the priority; higher wins
     */
    default int priority() {
        return 0;
    }

    /**
     * The client for the image's registry. Called often (for every question the runtime's cache
     * cannot answer): return a shared client per registry host, so that connections and tokens are
     * reused across checks. Only called for an image this plugin {@link #serves}.
     *
     * @param image the image whose registry is wanted
     * @return the client, never null
     */
    RegistryClient client(ImageRef image);
}
