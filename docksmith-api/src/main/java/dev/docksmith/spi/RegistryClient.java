package dev.docksmith.spi;

import dev.docksmith.api.ImageRef;
import dev.docksmith.api.RegistryException;

import java.util.List;
import java.util.Optional;

/**
 * One registry's answers. Implementations are thread-safe, reuse connections and tokens, and bound
 * their own concurrency. Failures are {@link RegistryException} saying what was being done.
 */
public interface RegistryClient {
    /**
     * Every tag of the image's repository, all pages followed, in the registry's order.
     *
     * @return empty when the repository exists but has no tags
     * @throws dev.docksmith.api.NotFoundException when the repository does not exist
     */
    List<String> tags(ImageRef repository) throws RegistryException;

    /**
     * The manifest digest of the image's tag, by {@code HEAD} (never a {@code GET}, which Docker Hub
     * counts as a pull), asking for OCI index, OCI manifest, Docker manifest list and Docker v2
     * manifest so that the digest is the one {@code docker pull} records.
     *
     * @return empty when the tag does not exist
     */
    Optional<String> digest(ImageRef image) throws RegistryException;
}
