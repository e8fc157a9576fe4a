package dev.docksmith.tck;

import dev.docksmith.api.ImageRef;
import dev.docksmith.api.NotFoundException;
import dev.docksmith.api.RegistryException;
import dev.docksmith.spi.RegistryClient;
import dev.docksmith.spi.RegistryPlugin;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A plain registry plugin that keeps the contract, for an unauthenticated v2 registry at one address:
 * it shows that {@link RegistryContract} passes a sound plugin. The broken plugins of
 * {@link RegistryFixtures} each override one step of it.
 */
class SimpleRegistryPlugin implements RegistryPlugin, RegistryClient {
    static final String ACCEPT = String.join(", ", FakeRegistry.OCI_INDEX, FakeRegistry.OCI_MANIFEST,
            FakeRegistry.DOCKER_MANIFEST_LIST, FakeRegistry.DOCKER_MANIFEST);
    private static final Pattern TAG_ARRAY = Pattern.compile("\"tags\"\\s*:\\s*\\[(.*?)]");
    private static final Pattern STRING = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final Pattern NEXT = Pattern.compile("<([^>]+)>\\s*;\\s*rel=\"?next\"?");

    private final HttpClient http = HttpClient.newHttpClient();
    private final URI base;

    SimpleRegistryPlugin(URI base) {
        this.base = base;
    }

    @Override
    public String name() {
        return "tck-simple-registry";
    }

    @Override
    public boolean serves(ImageRef image) {
        return true;
    }

    @Override
    public RegistryClient client(ImageRef image) {
        return this;
    }

    @Override
    public List<String> tags(ImageRef repository) {
        List<String> tags = collector();
        URI uri = base.resolve("/v2/" + repository.repository() + "/tags/list?n=100");
        while (uri != null) {
            HttpResponse<String> page = send("GET", uri, "application/json");
            if (page.statusCode() == 404) {
                throw unknownRepository(repository);
            }
            if (page.statusCode() != 200) {
                throw new RegistryException(page.statusCode(), "listing tags of " + repository.repositoryName() + ": " + page.statusCode());
            }
            Matcher array = TAG_ARRAY.matcher(page.body());
            if (array.find()) {
                Matcher s = STRING.matcher(array.group(1));
                while (s.find()) {
                    tags.add(s.group(1));
                }
            }
            uri = next(page, uri);
        }
        return order(List.copyOf(tags));
    }

    @Override
    public Optional<String> digest(ImageRef image) {
        HttpResponse<String> r = send(digestMethod(), base.resolve("/v2/" + image.repository() + "/manifests/" + image.tag()), accept());
        if (r.statusCode() == 404) {
            return Optional.empty();
        }
        if (r.statusCode() != 200) {
            throw new RegistryException(r.statusCode(), "fetching the digest of " + image + ": " + r.statusCode());
        }
        return r.headers().firstValue("Docker-Content-Digest");
    }

    /** Where the tags of one call are gathered. */
    protected List<String> collector() {
        return new ArrayList<>();
    }

    /** The tags as the registry listed them. */
    protected List<String> order(List<String> tags) {
        return tags;
    }

    protected RuntimeException unknownRepository(ImageRef repository) {
        return new NotFoundException("listing tags of " + repository.repositoryName() + ": 404 NAME_UNKNOWN");
    }

    /** The page the {@code Link} header points to, or null after the last one. */
    protected URI next(HttpResponse<String> page, URI current) {
        Optional<String> link = page.headers().firstValue("Link");
        if (link.isEmpty()) {
            return null;
        }
        Matcher m = NEXT.matcher(link.get());
        return m.find() ? current.resolve(m.group(1)) : null;
    }

    protected String digestMethod() {
        return "HEAD";
    }

    protected String accept() {
        return ACCEPT;
    }

    private HttpResponse<String> send(String method, URI uri, String accept) {
        HttpRequest request = HttpRequest.newBuilder(uri).method(method, HttpRequest.BodyPublishers.noBody())
                .header("Accept", accept).build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new RegistryException(0, method + " " + uri + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryException(0, method + " " + uri + ": interrupted", e);
        }
    }
}
