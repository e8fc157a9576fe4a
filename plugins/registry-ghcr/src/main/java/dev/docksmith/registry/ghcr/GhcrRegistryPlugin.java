package dev.docksmith.registry.ghcr;

import dev.docksmith.api.ImageRef;
import dev.docksmith.registry.v2.CredentialStore;
import dev.docksmith.registry.v2.Credentials;
import dev.docksmith.registry.v2.RegistryConfig;
import dev.docksmith.registry.v2.RegistryEndpoint;
import dev.docksmith.registry.v2.V2RegistryPlugin;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * GitHub Container Registry ({@code ghcr.io}). Public images need no login (anonymous tokens from
 * {@code ghcr.io/token}); with the {@code GITHUB_TOKEN} setting that token is the password of the token
 * exchange (GHCR ignores the username), else {@code config.json} credentials apply.
 */
public class GhcrRegistryPlugin extends V2RegistryPlugin {
    public static final String REGISTRY = "ghcr.io";
    public static final String GITHUB_TOKEN = "GITHUB_TOKEN";
    /** GHCR accepts any username with a token; this one shows up in its audit log. */
    static final String USERNAME = "docksmith";

    private final URI registryUrl;

    public GhcrRegistryPlugin() {
        this(null, URI.create("https://ghcr.io"));
    }

    /**
     * @param config      null for the settings given to {@link #start}, else the documented defaults
     * @param registryUrl where the v2 API answers ({@code https://ghcr.io})
     */
    public GhcrRegistryPlugin(RegistryConfig config, URI registryUrl) {
        super(config);
        this.registryUrl = Objects.requireNonNull(registryUrl, "registryUrl");
    }

    @Override
    public String name() {
        return "registry-ghcr";
    }

    @Override
    public int priority() {
        return 10;
    }

    @Override
    public boolean serves(ImageRef image) {
        return REGISTRY.equals(image.registry());
    }

    @Override
    protected RegistryEndpoint endpoint(String registry, RegistryConfig config) {
        return new RegistryEndpoint(registry, registryUrl);
    }

    @Override
    protected CredentialStore credentialStore(RegistryConfig config) {
        Optional<String> token = config.settings().text(GITHUB_TOKEN).map(String::trim).filter(t -> !t.isEmpty());
        if (token.isEmpty()) {
            return super.credentialStore(config);
        }
        Credentials credentials = Credentials.basic(USERNAME, token.get());
        return new CredentialStore() {
            @Override
            public Optional<Credentials> find(String registry) {
                return Optional.of(credentials);
            }

            @Override
            public String describe() {
                return "the " + GITHUB_TOKEN + " setting";
            }
        };
    }
}
