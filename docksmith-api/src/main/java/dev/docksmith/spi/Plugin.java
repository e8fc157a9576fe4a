package dev.docksmith.spi;

/**
 * Every plugin. Found with {@link java.util.ServiceLoader}: a public no-argument constructor, and
 * nothing heavy before {@link #start(PluginContext)}.
 *
 * <p>Life cycle: the runtime constructs the plugin, reads {@link #name()} and {@link #apiVersion()},
 * calls {@link #start(PluginContext)} once, then the methods of its SPI (from any thread, and
 * concurrently), and finally {@link #stop()} once when it stops. A plugin whose constructor,
 * {@code name()}, {@code apiVersion()} or {@code start} throws is left out, and the reason is listed
 * under {@code plugins.failed} in {@code /api/docker-config}; the runtime goes on without it. A
 * store plugin is the exception: when the chosen one fails to start or to open its store, start-up
 * fails rather than silently losing every operation.
 */
public interface Plugin {
    /**
     * The SPI generation this build of {@code docksmith-api} defines. It stays the same while the SPIs
     * only gain default methods, and goes up when a method is removed or changes in a way a plugin
     * could notice.
     */
    int API_VERSION = 1;

    /**
     * A short stable name such as {@code storage-xodus}. The runtime shows it in logs and
     * {@code /api/docker-config}, and stores it with an update's plan so that the same strategy can
     * repair the update after a crash: do not change it between releases.
     *
     * @return the plugin's name, never null
     */
    String name();

    /**
     * The SPI generation the plugin was built for; the loader refuses one newer than the runtime's
     * {@link #API_VERSION} or below 1, and says why in {@code /api/docker-config}.
     *
     * <p>This default is compiled into {@code docksmith-api}, so it answers the runtime's own
     * generation and a plugin that keeps it is never refused. A plugin that wants the check overrides
     * it with {@code return API_VERSION;}: the constant is then compiled into the plugin's class and
     * records the generation it was built against.
     *
     * @return the SPI generation, 1 or more
     */
    default int apiVersion() {
        return API_VERSION;
    }

    /**
     * Called once before first use, with what the runtime offers. Read settings and create clients
     * here, not in the constructor. Throwing (preferably an {@link IllegalArgumentException} naming
     * the setting at fault) leaves the plugin out.
     *
     * @param context what the runtime offers; valid until {@link #stop()}
     */
    default void start(PluginContext context) {
    }

    /**
     * Called once when the runtime stops, only for a plugin whose {@link #start} returned normally.
     * Releases threads, connections and files; an exception is logged and ignored.
     */
    default void stop() {
    }
}
