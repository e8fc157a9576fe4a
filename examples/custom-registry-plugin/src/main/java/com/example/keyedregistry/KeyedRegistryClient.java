package com.example.keyedregistry;

import dev.docksmith.api.ImageRef;
import dev.docksmith.api.NotFoundException;
import dev.docksmith.api.RegistryException;
import dev.docksmith.spi.RegistryClient;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Distribution v2 API of one registry, with the key on every request. Thread-safe: the JDK
 * client is, and it keeps connections open between checks.
 */
final class KeyedRegistryClient implements RegistryClient {
    static final String KEY_HEADER = "X-Registry-Key";
    /** Every manifest type {@code docker pull} accepts, so the digest is the one it records. */
    static final String MANIFEST_TYPES = String.join(", ",
            "application/vnd.oci.image.index.v1+json",
            "application/vnd.oci.image.manifest.v1+json",
            "application/vnd.docker.distribution.manifest.list.v2+json",
            "application/vnd.docker.distribution.manifest.v2+json");
    /** Tags cannot contain quotes, brackets or backslashes, so this finds them without a JSON library. */
    private static final Pattern TAGS = Pattern.compile("\"tags\"\\s*:\\s*(null|\\[([^\\]]*)\\])");
    private static final Pattern QUOTED = Pattern.compile("\"([^\"]*)\"");
    private static final Pattern NEXT_LINK = Pattern.compile("<([^>]+)>\\s*;\\s*rel=\"?next\"?");

    private final URI base;
    private final String key;
    private final Duration timeout;
    private final HttpClient http;
    /** Docksmith may ask about many repositories at once; a small registry should not see them all together. */
    private final Semaphore inFlight = new Semaphore(8);

    KeyedRegistryClient(URI base, String key, Duration timeout) {
        this.base = base;
        this.key = key;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).build();
    }

    @Override
    public List<String> tags(ImageRef repository) {
        String action = "listing tags of " + repository.repositoryName();
        List<String> tags = new ArrayList<>();
        URI page = base.resolve("/v2/" + repository.repository() + "/tags/list");
        while (page != null) {
            HttpResponse<String> response = send("GET", page, "application/json", action);
            if (response.statusCode() == 404) {
                throw new NotFoundException(action + ": no such repository");
            }
            requireOk(response, action);
            Matcher m = TAGS.matcher(response.body());
            if (!m.find()) {
                throw new RegistryException(response.statusCode(), action + ": the answer has no tag list");
            }
            if (m.group(2) != null) {
                Matcher tag = QUOTED.matcher(m.group(2));
                while (tag.find()) {
                    tags.add(tag.group(1));
                }
            }
            page = nextPage(response, page, action);
        }
        return tags;
    }

    @Override
    public Optional<String> digest(ImageRef image) {
        String reference = image.tag() != null ? image.tag() : image.digest();
        String action = "fetching the digest of " + image;
        // HEAD, not GET: some registries count a GET of a manifest as a pull.
        HttpResponse<String> response = send("HEAD", base.resolve("/v2/" + image.repository() + "/manifests/" + reference),
                MANIFEST_TYPES, action);
        if (response.statusCode() == 404) {
            return Optional.empty();
        }
        requireOk(response, action);
        return Optional.of(response.headers().firstValue("Docker-Content-Digest")
                .orElseThrow(() -> new RegistryException(response.statusCode(), action + ": no Docker-Content-Digest header")));
    }

    private HttpResponse<String> send(String method, URI uri, String accept, String action) {
        HttpRequest request = HttpRequest.newBuilder(uri)
                .method(method, HttpRequest.BodyPublishers.noBody())
                .header("Accept", accept)
                .header(KEY_HEADER, key)
                .timeout(timeout)
                .build();
        try {
            inFlight.acquire();
            try {
                return http.send(request, HttpResponse.BodyHandlers.ofString());
            } finally {
                inFlight.release();
            }
        } catch (IOException e) {
            throw new RegistryException(0, action + ": " + base.getAuthority() + " did not answer (" + e + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryException(0, action + ": interrupted", e);
        }
    }

    private static void requireOk(HttpResponse<String> response, String action) {
        int status = response.statusCode();
        if (status == 401 || status == 403) {
            throw new RegistryException(status, action + ": " + status + ", the registry refused the key in " + KEY_HEADER);
        }
        if (status != 200) {
            throw new RegistryException(status, action + ": unexpected status " + status);
        }
    }

    /**
     * A registry may split a long tag list into pages, each naming the next in a
     * {@code Link: <...>; rel="next"} header, relative or absolute. Null after the last page.
     */
    private URI nextPage(HttpResponse<?> response, URI current, String action) {
        Matcher link = NEXT_LINK.matcher(response.headers().firstValue("Link").orElse(""));
        if (!link.find()) {
            return null;
        }
        URI next = current.resolve(link.group(1));
        // Never follow a link to another server: the key must only ever go to this registry.
        if (next.getAuthority() == null || !next.getAuthority().equalsIgnoreCase(base.getAuthority())) {
            throw new RegistryException(200, action + ": the next page is on another server (" + next + ")");
        }
        return next.equals(current) ? null : next;
    }
}
