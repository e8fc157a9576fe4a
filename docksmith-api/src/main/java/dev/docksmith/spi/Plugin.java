package dev.docksmith.spi;

/**
 * Every plugin. Found with {@link java.util.ServiceLoader}: a public no-argument constructor, and
 * nothing heavy before {@link #start(PluginContext)}.
 */
public interface Plugin {
    /** The SPI generation this build of {@code docksmith-api} defines. */
    int API_VERSION = 1;

    /** A short stable name such as {@code storage-xodus}. */
    String name();

    /** The SPI generation the plugin was built for; the loader refuses one newer than {@link #API_VERSION}. */
    default int apiVersion() {
        return API_VERSION;
    }

    /** Called once before first use, with what the runtime offers. */
    default void start(PluginContext context) {
    }

    /** Called once when the runtime stops. */
    default void stop() {
    }
}
