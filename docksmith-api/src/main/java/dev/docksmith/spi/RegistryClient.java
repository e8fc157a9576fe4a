package dev.docksmith.spi;

import dev.docksmith.api.ImageRef;
import dev.docksmith.api.RegistryException;

import java.util.List;
import java.util.Optional;

/**
 * One registry's answers. Implementations are thread-safe (the runtime asks about many repositories
 * at once), reuse connections and tokens, bound their own concurrency
 * ({@code DOCKSMITH_REGISTRY_CONCURRENCY}) and time out each request
 * ({@code DOCKSMITH_REGISTRY_TIMEOUT}). The runtime caches answers itself ({@code CACHE_TTL}).
 *
 * <p>Failures are {@link RegistryException} with the registry's HTTP status (0 when it did not
 * answer) and a message saying what was being done ("listing tags of ghcr.io/x/y: 401
 * unauthorized"); the runtime shows that message as the container's check error. Something that
 * does not exist is not a failure: it is an empty answer or a
 * {@link dev.docksmith.api.NotFoundException}, as each method says.
 */
public interface RegistryClient {
    /**
     * Every tag of the image's repository, all pages followed, in the order the registry lists them
     * (the runtime sorts versions itself).
     *
     * @param repository names the repository; its tag and digest are ignored
     * @return the tags, never null; empty when the repository exists but has no tags
     * @throws dev.docksmith.api.NotFoundException when the repository does not exist
     * @throws RegistryException                   when the registry refuses or fails the request
     *                                             (authentication, rate limit, unreachable)
     */
    List<String> tags(ImageRef repository) throws RegistryException;

    /**
     * The manifest digest of the image's tag, by {@code HEAD} (never a {@code GET}, which Docker Hub
     * counts as a pull), asking for OCI index, OCI manifest, Docker manifest list and Docker v2
     * manifest so that the digest is the one {@code docker pull} records.
     *
     * @param image the image; the runtime always passes one with a tag
     * @return the digest ({@code sha256:...}), or empty when the tag does not exist
     * @throws dev.docksmith.api.NotFoundException when the repository does not exist (a client that
     *                                             cannot tell this from a missing tag answers empty)
     * @throws RegistryException                   when the registry refuses or fails the request
     */
    Optional<String> digest(ImageRef image) throws RegistryException;
}
