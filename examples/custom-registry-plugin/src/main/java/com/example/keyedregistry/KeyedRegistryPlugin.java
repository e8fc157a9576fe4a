package com.example.keyedregistry;

import dev.docksmith.api.ImageRef;
import dev.docksmith.spi.PluginContext;
import dev.docksmith.spi.RegistryClient;
import dev.docksmith.spi.RegistryPlugin;
import dev.docksmith.spi.Settings;

import java.net.URI;
import java.time.Duration;

/**
 * Serves one registry that refuses every request without an {@code X-Registry-Key} header.
 *
 * <p>Settings (environment variables of the Docksmith process):
 * <ul>
 *   <li>{@code KEYED_REGISTRY_HOST}: the registry as images name it, {@code registry.example.com} or
 *       {@code 127.0.0.1:5001}; unset, the plugin serves nothing.</li>
 *   <li>{@code KEYED_REGISTRY_KEY}: the key sent in {@code X-Registry-Key}.</li>
 * </ul>
 */
public final class KeyedRegistryPlugin implements RegistryPlugin {
    public static final String HOST_SETTING = "KEYED_REGISTRY_HOST";
    public static final String KEY_SETTING = "KEYED_REGISTRY_KEY";

    private volatile String host;
    private volatile KeyedRegistryClient client;

    /** ServiceLoader needs a public no-argument constructor; the real set-up waits for {@link #start}. */
    public KeyedRegistryPlugin() {
    }

    @Override
    public String name() {
        return "keyed-registry";
    }

    /**
     * The SPI generation this plugin was compiled against: {@code API_VERSION} is a constant, so it is
     * copied into this class, and a runtime of an older generation refuses the plugin with a clear
     * reason instead of failing later on a method it lacks. (The inherited default would answer the
     * runtime's own generation, whatever this was built for.)
     */
    @Override
    public int apiVersion() {
        return API_VERSION;
    }

    /** Above the generic v2 plugin (0), which would also offer to serve this host and then be refused. */
    @Override
    public int priority() {
        return 100;
    }

    @Override
    public void start(PluginContext context) {
        Settings settings = context.settings();
        String configured = settings.text(HOST_SETTING).orElse(null);
        if (configured == null) {
            context.logger(KeyedRegistryPlugin.class).log(System.Logger.Level.INFO, HOST_SETTING + " is not set: serving no registry");
            return;
        }
        // Failing here is reported in /api/docker-config under the plugin's name, which beats a 401 on every check.
        String key = settings.text(KEY_SETTING)
                .orElseThrow(() -> new IllegalStateException(KEY_SETTING + " is not set, and " + configured + " refuses requests without it"));
        // Docksmith's own registry timeout applies to this registry too.
        Duration timeout = settings.duration("DOCKSMITH_REGISTRY_TIMEOUT").orElse(Duration.ofSeconds(10));
        client = new KeyedRegistryClient(URI.create(scheme(configured) + "://" + configured), key, timeout);
        host = configured;
    }

    @Override
    public void stop() {
        client = null;
        host = null;
    }

    @Override
    public boolean serves(ImageRef image) {
        return client != null && image.registry().equalsIgnoreCase(host);
    }

    @Override
    public RegistryClient client(ImageRef image) {
        return client; // one client for the plugin's life, so its connections are reused
    }

    /** Plain http only on the loopback interface, as Docker itself allows; https everywhere else. */
    static String scheme(String host) {
        String name = host.startsWith("[") ? host.substring(0, host.indexOf(']') + 1) : host.split(":")[0];
        boolean loopback = name.equals("localhost") || name.startsWith("127.") || name.equals("[::1]");
        return loopback ? "http" : "https";
    }
}
