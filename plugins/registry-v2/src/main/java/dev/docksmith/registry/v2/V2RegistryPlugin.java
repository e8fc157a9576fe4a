package dev.docksmith.registry.v2;

import dev.docksmith.api.ImageRef;
import dev.docksmith.spi.PluginContext;
import dev.docksmith.spi.RegistryClient;
import dev.docksmith.spi.RegistryPlugin;
import dev.docksmith.spi.Settings;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Any OCI Distribution v2 registry. One {@link V2RegistryClient} per registry name, created on first
 * use and kept, so connections and tokens are reused across checks. Registry-specific plugins extend
 * this class and override {@link #serves}, {@link #endpoint}, {@link #credentialStore} or
 * {@link #newClient}.
 */
public class V2RegistryPlugin implements RegistryPlugin {
    private final ConcurrentHashMap<String, V2RegistryClient> clients = new ConcurrentHashMap<>();
    private volatile RegistryConfig config;

    /** For {@link java.util.ServiceLoader}: settings come with {@link #start}; documented defaults until then. */
    public V2RegistryPlugin() {
    }

    /** With a configuration of one's own (tests, embedding); {@link #start} replaces it. */
    public V2RegistryPlugin(RegistryConfig config) {
        this.config = config;
    }

    @Override
    public String name() {
        return "registry-v2";
    }

    /**
     * Reads the settings. Settings the runtime does not know fall back to the environment, so
     * {@code DOCKSMITH_INSECURE_REGISTRIES} and friends work even before the runtime lists them.
     */
    @Override
    public void start(PluginContext context) {
        Settings given = context.settings();
        Settings settings = name -> given.text(name).or(() -> Optional.ofNullable(System.getenv(name)));
        config = RegistryConfig.from(settings, context.clock());
        clients.clear();
    }

    @Override
    public void stop() {
        clients.clear();
    }

    @Override
    public boolean serves(ImageRef image) {
        return true;
    }

    @Override
    public RegistryClient client(ImageRef image) {
        return clientFor(image.registry());
    }

    /** The shared client of a registry name ({@code docker.io}, {@code localhost:5000}). */
    public V2RegistryClient clientFor(String registry) {
        V2RegistryClient client = clients.get(registry);
        return client != null ? client : clients.computeIfAbsent(registry, this::newClient);
    }

    /**
     * The {@code X-Registry-Auth} value for pulling the image through the engine, when there is a login
     * for its registry.
     */
    public Optional<String> registryAuth(ImageRef image) {
        return clientFor(image.registry()).credentials().map(c -> RegistryAuth.header(c, image.registry()));
    }

    /** The configuration in force: the settings given to {@link #start}, else the documented defaults. */
    protected final RegistryConfig config() {
        RegistryConfig c = config;
        if (c == null) {
            c = RegistryConfig.defaults();
            config = c;
        }
        return c;
    }

    protected V2RegistryClient newClient(String registry) {
        RegistryConfig c = config();
        return new V2RegistryClient(endpoint(registry, c), c, credentialStore(c));
    }

    /** Where a registry is reached; override to point a registry name elsewhere. */
    protected RegistryEndpoint endpoint(String registry, RegistryConfig config) {
        return RegistryEndpoint.of(registry, config);
    }

    /** Where logins come from: {@code $DOCKER_CONFIG/config.json} and its credential helpers. */
    protected CredentialStore credentialStore(RegistryConfig config) {
        return DockerConfig.from(config);
    }
}
