package dev.docksmith.spi;

import java.time.Clock;

/** What the runtime hands a plugin when it starts. */
public interface PluginContext {
    /** Read-only configuration. */
    Settings settings();

    /** The narrow engine facade plugins may call. */
    DockerEngine docker();

    /** Where a plugin reports progress and domain events. */
    EventSink events();

    /** The clock to use for anything time-related, so tests can control time. */
    Clock clock();

    /** A JDK logger, so plugins need no logging dependency. */
    default System.Logger logger(Class<?> owner) {
        return System.getLogger(owner.getName());
    }
}
