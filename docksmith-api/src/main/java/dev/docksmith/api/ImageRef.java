package dev.docksmith.api;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An image reference normalised the way Docker does: {@code nginx} is
 * {@code docker.io/library/nginx:latest}, {@code ghcr.io/linuxserver/plex:1.40} keeps its registry.
 * Immutable; equal references compare equal. Build one with {@link #parse(String)}, which validates
 * and normalises; the constructor checks only what its own documentation says.
 *
 * @param registry   registry host in lower case, with port if any ({@code docker.io},
 *                   {@code localhost:5000}); not null
 * @param repository path inside the registry ({@code library/nginx}, {@code linuxserver/plex}); not null
 * @param tag        the tag, or null when the reference names only a digest
 * @param digest     {@code sha256:...} when the reference pins one, else null
 */
public record ImageRef(String registry, String repository, String tag, String digest) {
    /** Docker Hub's canonical registry name, {@code docker.io}. */
    public static final String DOCKER_HUB = "docker.io";
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
    private static final Pattern DIGEST = Pattern.compile("[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-fA-F0-9]{32,}");
    private static final Pattern REGISTRY = Pattern.compile(
            "(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\\[[0-9a-fA-F:]+\\])(?::[0-9]{1,5})?");
    private static final Pattern PATH_COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");

    /**
     * Checks that the parts are there; it does not validate or normalise them.
     *
     * @param registry   registry host, with port if any
     * @param repository path inside the registry
     * @param tag        the tag, or null
     * @param digest     the digest, or null
     * @throws NullPointerException     when {@code registry} or {@code repository} is null
     * @throws IllegalArgumentException when both {@code tag} and {@code digest} are null
     */
    public ImageRef {
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(repository, "repository");
        if (tag == null && digest == null) {
            throw new IllegalArgumentException("an image reference needs a tag or a digest");
        }
    }

    /**
     * Parses and normalises a reference ({@code nginx}, {@code nginx:1.25}, {@code user/app},
     * {@code localhost:5000/team/app:2}, {@code ghcr.io/x/y@sha256:...}). Docker Hub's other names
     * ({@code index.docker.io}, {@code registry-1.docker.io}) become {@code docker.io}, and a
     * reference with neither tag nor digest gets {@code latest}.
     *
     * @param reference the reference as a user or the engine writes it
     * @return the normalised reference
     * @throws BadRequestException naming the reference when it is null, blank or not a valid reference
     */
    public static ImageRef parse(String reference) {
        if (reference == null || reference.isBlank()) {
            throw new BadRequestException("empty image reference");
        }
        String rest = reference.trim();
        String digest = null;
        int at = rest.indexOf('@');
        if (at >= 0) {
            digest = rest.substring(at + 1);
            rest = rest.substring(0, at);
            if (!DIGEST.matcher(digest).matches()) {
                throw new BadRequestException("invalid digest in image reference '" + reference + "'");
            }
        }
        String tag = null;
        int slash = rest.lastIndexOf('/');
        int colon = rest.lastIndexOf(':');
        if (colon > slash) {
            tag = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
            if (!TAG.matcher(tag).matches()) {
                throw new BadRequestException("invalid tag '" + tag + "' in image reference '" + reference + "'");
            }
        }
        String registry = DOCKER_HUB;
        String repository = rest;
        int first = rest.indexOf('/');
        if (first > 0) {
            String head = rest.substring(0, first);
            // Docker treats the first component as a registry when it looks like a host.
            if (head.contains(".") || head.contains(":") || head.equals("localhost")) {
                if (!REGISTRY.matcher(head).matches()) {
                    throw new BadRequestException("invalid registry '" + head + "' in image reference '" + reference + "'");
                }
                registry = head.toLowerCase(Locale.ROOT);
                repository = rest.substring(first + 1);
            }
        }
        if (registry.equals("index.docker.io") || registry.equals("registry-1.docker.io")) {
            registry = DOCKER_HUB;
        }
        if (registry.equals(DOCKER_HUB) && !repository.contains("/")) {
            repository = "library/" + repository;
        }
        for (String component : repository.split("/", -1)) {
            if (!PATH_COMPONENT.matcher(component).matches()) {
                throw new BadRequestException("invalid repository '" + repository + "' in image reference '" + reference + "'");
            }
        }
        if (tag == null && digest == null) {
            tag = "latest";
        }
        return new ImageRef(registry, repository, tag, digest);
    }

    /**
     * The same repository with another tag.
     *
     * @param newTag the tag; not null
     * @return a reference to that tag, without a digest
     */
    public ImageRef withTag(String newTag) {
        return new ImageRef(registry, repository, newTag, null);
    }

    /**
     * The repository's full name, the unit registries list tags for.
     *
     * @return {@code registry/repository}, such as {@code docker.io/library/nginx}
     */
    public String repositoryName() {
        return registry + "/" + repository;
    }

    /**
     * The shortest form Docker users write.
     *
     * @return {@code nginx:1.25}, {@code user/app:2}, {@code ghcr.io/x/y:1}, with {@code @digest}
     *         appended when there is one
     */
    public String familiar() {
        String name = repository;
        if (registry.equals(DOCKER_HUB)) {
            name = repository.startsWith("library/") ? repository.substring("library/".length()) : repository;
        } else {
            name = registry + "/" + repository;
        }
        return name + (tag != null ? ":" + tag : "") + (digest != null ? "@" + digest : "");
    }

    /**
     * The fully qualified form. For a reference {@link #parse(String)} made, parsing this text gives
     * an equal reference back.
     *
     * @return {@code docker.io/library/nginx:1.25}, with {@code @digest} appended when there is one
     */
    @Override
    public String toString() {
        return registry + "/" + repository + (tag != null ? ":" + tag : "") + (digest != null ? "@" + digest : "");
    }
}
