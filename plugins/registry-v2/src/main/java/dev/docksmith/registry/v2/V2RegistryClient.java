package dev.docksmith.registry.v2;

import dev.docksmith.api.ImageRef;
import dev.docksmith.api.RegistryException;
import dev.docksmith.spi.RegistryClient;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Optional;

/**
 * One registry's client, shared by every check: thread-safe, with its own auth state (challenge,
 * tokens per scope), concurrency bound and unreachable memory. Subclasses add registry specifics
 * through {@link #onResponse} and by overriding {@link #tags}/{@link #digest}, calling back into this
 * class for the protocol.
 */
public class V2RegistryClient implements RegistryClient {
    private final RegistryEndpoint endpoint;
    private final RegistryConfig config;
    private final RegistryTransport transport;
    private final Authenticator auth;

    public V2RegistryClient(RegistryEndpoint endpoint, RegistryConfig config, CredentialStore credentials) {
        this(endpoint, config, credentials, SharedHttp.CLIENT);
    }

    /** With another HTTP client underneath (tests, or an embedder with its own proxy or TLS settings). */
    public V2RegistryClient(RegistryEndpoint endpoint, RegistryConfig config, CredentialStore credentials, Http http) {
        this.endpoint = endpoint;
        this.config = config;
        this.transport = new RegistryTransport(endpoint, config, http, this::onResponse);
        this.auth = new Authenticator(endpoint, credentials, config.clock());
    }

    @Override
    public List<String> tags(ImageRef repository) throws RegistryException {
        return TagsListCall.list(transport, auth, endpoint, repository);
    }

    @Override
    public Optional<String> digest(ImageRef image) throws RegistryException {
        return ManifestDigestCall.digest(transport, auth, endpoint, image);
    }

    public RegistryEndpoint endpoint() {
        return endpoint;
    }

    public RegistryConfig config() {
        return config;
    }

    /** The login this registry's requests use, if any (looked up now if it was not yet). */
    public Optional<Credentials> credentials() {
        return auth.currentCredentials();
    }

    /**
     * Called with every answer (registry and token endpoint) before it is acted on, from the requesting
     * thread; for registry-specific headers such as rate limits. Must be quick and must not throw.
     */
    protected void onResponse(HttpResponse<?> response) {
    }

    /**
     * {@code GET}s a JSON document from another API of this registry (no registry auth, same concurrency
     * bound, retries and error messages).
     *
     * @return the body of a 2xx answer
     * @throws dev.docksmith.api.NotFoundException on a 404
     */
    protected final byte[] fetchJson(URI uri, String action, String subject) {
        return transport.send(Call.get(uri, "application/json", action, subject, null, Call.Missing.NOT_FOUND), null).body();
    }

    /** Exposed for tests: requests that may start now without waiting. */
    final int availablePermits() {
        return transport.availablePermits();
    }
}
