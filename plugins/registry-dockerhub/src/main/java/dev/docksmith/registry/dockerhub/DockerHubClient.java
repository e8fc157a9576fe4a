package dev.docksmith.registry.dockerhub;

import dev.docksmith.api.ImageRef;
import dev.docksmith.api.RegistryException;
import dev.docksmith.registry.v2.CredentialStore;
import dev.docksmith.registry.v2.RegistryConfig;
import dev.docksmith.registry.v2.RegistryEndpoint;
import dev.docksmith.registry.v2.V2RegistryClient;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The v2 client plus Hub's habits: it watches the {@code ratelimit-remaining} / {@code ratelimit-limit}
 * headers (warning when few pulls are left, at most once a minute), and can list tags through Hub's
 * tag API, falling back to the registry's list when that fails.
 */
class DockerHubClient extends V2RegistryClient {
    private static final System.Logger LOG = System.getLogger(DockerHubClient.class.getName());
    private static final long WARN_EVERY_NANOS = 60_000_000_000L;

    private final URI hubApi;
    private final boolean useTagApi;
    private final AtomicLong lastWarning = new AtomicLong(System.nanoTime() - WARN_EVERY_NANOS);

    DockerHubClient(RegistryEndpoint endpoint, RegistryConfig config, CredentialStore credentials, URI hubApi, boolean useTagApi) {
        super(endpoint, config, credentials);
        this.hubApi = hubApi;
        this.useTagApi = useTagApi;
    }

    @Override
    public List<String> tags(ImageRef repository) throws RegistryException {
        if (useTagApi) {
            try {
                return HubTagApi.list(hubApi, repository, uri -> fetchJson(uri, HubTagApi.ACTION, repository.repositoryName()));
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.INFO, () -> "Docker Hub's tag API failed (" + e.getMessage()
                        + "); using the registry's tag list");
            }
        }
        return super.tags(repository);
    }

    @Override
    protected void onResponse(HttpResponse<?> response) {
        Optional<RateLimit> limit = RateLimit.of(response.headers());
        if (limit.isEmpty()) {
            return;
        }
        RateLimit l = limit.get();
        if (l.low()) {
            long last = lastWarning.get();
            long now = System.nanoTime();
            if (now - last >= WARN_EVERY_NANOS && lastWarning.compareAndSet(last, now)) {
                LOG.log(System.Logger.Level.WARNING, "Docker Hub pull rate limit nearly used up: " + l.remaining() + " of "
                        + l.limit() + " left per " + l.windowSeconds() + " s"
                        + (credentials().isEmpty() ? " (anonymous; docker login raises the limit)" : ""));
            }
        } else {
            LOG.log(System.Logger.Level.DEBUG, () -> "Docker Hub rate limit: " + l.remaining() + " of " + l.limit() + " left");
        }
    }
}
