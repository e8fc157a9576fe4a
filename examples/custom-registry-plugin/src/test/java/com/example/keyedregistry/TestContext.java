package com.example.keyedregistry;

import dev.docksmith.spi.DockerEngine;
import dev.docksmith.spi.EventSink;
import dev.docksmith.spi.PluginContext;
import dev.docksmith.spi.Settings;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/** What Docksmith hands the plugin at start, reduced to the settings it reads. */
record TestContext(Map<String, String> values) implements PluginContext {

    /** Starts a new plugin with these settings. */
    static KeyedRegistryPlugin started(Map<String, String> settings) {
        KeyedRegistryPlugin plugin = new KeyedRegistryPlugin();
        plugin.start(new TestContext(settings));
        return plugin;
    }

    @Override
    public Settings settings() {
        return name -> Optional.ofNullable(values.get(name));
    }

    @Override
    public DockerEngine docker() {
        throw new UnsupportedOperationException("a registry plugin needs no engine");
    }

    @Override
    public EventSink events() {
        throw new UnsupportedOperationException("not used by this plugin");
    }

    @Override
    public Clock clock() {
        return Clock.systemUTC();
    }
}
