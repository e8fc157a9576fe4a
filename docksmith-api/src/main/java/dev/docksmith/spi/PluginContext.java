package dev.docksmith.spi;

import java.time.Clock;

/**
 * What the runtime hands a plugin when it starts ({@link Plugin#start}). The context and what its
 * methods return may be kept and used from any thread until {@link Plugin#stop}.
 */
public interface PluginContext {
    /**
     * Read-only configuration by environment name: Docksmith's own settings, and any other name
     * from the process environment.
     *
     * @return the settings, never null
     */
    Settings settings();

    /**
     * The narrow engine facade plugins may call; it talks to the engine the runtime manages.
     *
     * @return the engine facade, never null
     */
    DockerEngine docker();

    /**
     * Where a plugin reports progress and domain events; they reach {@code /api/events}
     * subscribers and the listeners of an embedding application.
     *
     * @return the event sink, never null
     */
    EventSink events();

    /**
     * The clock to use for anything time-related (timestamps, deadlines, maintenance windows), so
     * tests can control time.
     *
     * @return the runtime's clock, never null
     */
    Clock clock();

    /**
     * A JDK logger, so plugins need no logging dependency; its output goes wherever the runtime's
     * own log goes.
     *
     * @param owner the class the messages are about; its name is the logger's name
     * @return a logger, never null
     */
    default System.Logger logger(Class<?> owner) {
        return System.getLogger(owner.getName());
    }
}
