package dev.docksmith.registry.v2;

import java.util.Optional;

/** Finds the login for a registry name ({@code docker.io}, {@code ghcr.io}, {@code localhost:5000}). */
@FunctionalInterface
public interface CredentialStore {
    /** Anonymous access. */
    CredentialStore NONE = registry -> Optional.empty();

    /** The login for the registry, or empty for anonymous access. Never throws for a missing login. */
    Optional<Credentials> find(String registry);

    /** Where credentials come from, for messages ("/root/.docker/config.json"). */
    default String describe() {
        return "the configured credentials";
    }
}
