package dev.docksmith.registry.v2;

import java.net.URI;
import java.util.Objects;

/**
 * Where a registry is reached. {@code registry} is the name image references use ({@code docker.io},
 * {@code localhost:5000}) and credentials are filed under; {@code base} is the scheme and authority the
 * requests go to ({@code https://registry-1.docker.io}).
 */
public record RegistryEndpoint(String registry, URI base) {
    /** Where Docker Hub's registry API answers; {@code docker.io} itself does not serve {@code /v2/}. */
    public static final URI DOCKER_HUB_REGISTRY = URI.create("https://registry-1.docker.io");

    public RegistryEndpoint {
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(base, "base");
        if (base.getScheme() == null || base.getAuthority() == null) {
            throw new IllegalArgumentException("registry endpoint '" + base + "' needs a scheme and a host");
        }
        String text = base.toString();
        if (text.endsWith("/")) {
            base = URI.create(text.substring(0, text.length() - 1));
        }
    }

    /** The usual endpoint of a registry name: plain http for loopback and insecure registries, https otherwise. */
    public static RegistryEndpoint of(String registry, RegistryConfig config) {
        if (registry.equals(dev.docksmith.api.ImageRef.DOCKER_HUB)) {
            return new RegistryEndpoint(registry, DOCKER_HUB_REGISTRY);
        }
        String scheme = config.insecure(registry) ? "http://" : "https://";
        return new RegistryEndpoint(registry, URI.create(scheme + RegistryConfig.bareHost(registry)));
    }

    /** A URI on this registry: {@code path} starts with {@code /}. */
    public URI resolve(String path) {
        return URI.create(base + path);
    }

    /** The host and port requests go to, for messages. */
    public String host() {
        return base.getAuthority();
    }

    /** {@code docker.io (registry-1.docker.io)}, or just the name when both are the same. */
    public String describe() {
        return registry.equalsIgnoreCase(host()) ? registry : registry + " (" + host() + ")";
    }
}
