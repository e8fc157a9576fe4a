package dev.docksmith.registry.v2;

/**
 * The one HTTP client all registry clients share, so keep-alive connections (pooled per host) are reused
 * across registries and checks. Created on first use, not when a plugin is loaded; it starts no threads.
 */
final class SharedHttp {
    /** Enough idle connections per host for the default concurrency bound of a registry. */
    static final Http CLIENT = new BlockingHttp(RegistryTransport.USER_AGENT, RegistryConfig.DEFAULT_CONCURRENCY);

    private SharedHttp() {
    }
}
