package dev.docksmith.registry.dockerhub;

import dev.docksmith.api.ImageRef;
import dev.docksmith.registry.v2.RegistryConfig;
import dev.docksmith.registry.v2.RegistryEndpoint;
import dev.docksmith.registry.v2.V2RegistryClient;
import dev.docksmith.registry.v2.V2RegistryPlugin;

import java.net.URI;
import java.util.Objects;

/**
 * Docker Hub: images ImageRef files under {@code docker.io} ({@code nginx} is
 * {@code docker.io/library/nginx}), served by {@code registry-1.docker.io} with tokens from
 * {@code auth.docker.io} (learned from the registry's challenge, like any v2 registry). Adds rate-limit
 * warnings and, with {@code DOCKSMITH_DOCKERHUB_TAG_API=true}, Hub's own tag API.
 */
public class DockerHubRegistryPlugin extends V2RegistryPlugin {
    /** Setting: list tags with {@code hub.docker.com/v2/repositories/.../tags} instead of the registry's list. */
    public static final String TAG_API = "DOCKSMITH_DOCKERHUB_TAG_API";
    public static final URI HUB_API = URI.create("https://hub.docker.com");

    private final URI registryUrl;
    private final URI hubApi;

    public DockerHubRegistryPlugin() {
        this(null, RegistryEndpoint.DOCKER_HUB_REGISTRY, HUB_API);
    }

    /**
     * With other addresses (tests, a mirror).
     *
     * @param config      null for the settings given to {@link #start}, else the documented defaults
     * @param registryUrl where the v2 API answers ({@code https://registry-1.docker.io})
     * @param hubApi      where Hub's web API answers ({@code https://hub.docker.com})
     */
    public DockerHubRegistryPlugin(RegistryConfig config, URI registryUrl, URI hubApi) {
        super(config);
        this.registryUrl = Objects.requireNonNull(registryUrl, "registryUrl");
        this.hubApi = Objects.requireNonNull(hubApi, "hubApi");
    }

    @Override
    public String name() {
        return "registry-dockerhub";
    }

    @Override
    public int priority() {
        return 10;
    }

    @Override
    public boolean serves(ImageRef image) {
        return ImageRef.DOCKER_HUB.equals(image.registry());
    }

    @Override
    protected RegistryEndpoint endpoint(String registry, RegistryConfig config) {
        return new RegistryEndpoint(registry, registryUrl);
    }

    @Override
    protected V2RegistryClient newClient(String registry) {
        RegistryConfig c = config();
        return new DockerHubClient(endpoint(registry, c), c, credentialStore(c), hubApi, c.settings().flag(TAG_API));
    }
}
