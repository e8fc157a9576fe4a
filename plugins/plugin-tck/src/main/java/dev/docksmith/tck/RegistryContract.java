package dev.docksmith.tck;

import dev.docksmith.api.ImageRef;
import dev.docksmith.api.NotFoundException;
import dev.docksmith.spi.Plugin;
import dev.docksmith.spi.RegistryClient;
import dev.docksmith.spi.RegistryPlugin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The contract every {@link RegistryPlugin} and its {@link RegistryClient} keep, checked against the
 * TCK's {@link FakeRegistry} on loopback. The contract decides what the registry holds (the constants
 * below); a subclass only says how its plugin is pointed at the fake: {@link #registryName} and
 * {@link #plugin}. A plugin for a registry that answers some other way (another tag API, a header of
 * its own) can serve {@link FakeRegistry#tags(String)} from its own test server and still use these tests,
 * as long as it logs {@code HEAD}/{@code GET} manifest requests like {@link FakeRegistry#requests()}.
 */
public abstract class RegistryContract {
    /** A repository whose tags span several pages. */
    public static final String REPOSITORY = "tck/app";
    /** A repository with a path of three components (the registry, not Docker Hub, allows it). */
    public static final String NESTED_REPOSITORY = "tck/group/tools";
    /** A repository that exists with no tags. */
    public static final String EMPTY_REPOSITORY = "tck/empty";
    /** A repository the registry does not have. */
    public static final String UNKNOWN_REPOSITORY = "tck/no-such-repository";
    /** The tags of {@link #REPOSITORY} in the registry's order: neither alphabetical nor by version, on purpose. */
    public static final List<String> TAGS = List.of("latest", "1.10.0", "1.9.2", "2.0.0-rc.1", "1.10.0-alpine", "0.9",
            "stable", "1.2", "1.10.1");
    /** The tags of {@link #NESTED_REPOSITORY}, in the registry's order (not sorted either). */
    public static final List<String> NESTED_TAGS = List.of("v2", "v10", "v1");
    /** At most this many tags per page, whatever the client asks for, so {@link #TAGS} takes three pages. */
    public static final int PAGE_SIZE = 4;
    /** The media types a registry stores; a digest request must accept each, to get the digest {@code docker pull} records. */
    public static final List<String> MEDIA_TYPES = List.of(FakeRegistry.OCI_INDEX, FakeRegistry.DOCKER_MANIFEST_LIST,
            FakeRegistry.OCI_MANIFEST, FakeRegistry.DOCKER_MANIFEST);

    /** The fake registry of this test, started before {@link #plugin} is asked for. */
    protected FakeRegistry registry;
    /** The plugin under test. */
    protected RegistryPlugin plugin;

    /**
     * The registry part of the image references the plugin answers for: {@code docker.io},
     * {@code ghcr.io}, or {@code registry.authority()} for a plugin that serves any registry.
     */
    protected abstract String registryName(FakeRegistry registry);

    /**
     * The plugin under test, ready to use (started if it needs to be), sending every request for
     * {@link #registryName} to {@code registry.baseUri()}. Stopped after each test.
     */
    protected abstract RegistryPlugin plugin(FakeRegistry registry);

    /** True when the fake should demand anonymous bearer tokens first, as Docker Hub and GHCR do. */
    protected boolean anonymousTokens() {
        return false;
    }

    /** What the fake registry holds: the repositories above, each tag with one of {@link #MEDIA_TYPES}. */
    protected static Map<String, List<FakeRegistry.Tag>> content() {
        Map<String, List<FakeRegistry.Tag>> content = new LinkedHashMap<>();
        content.put(REPOSITORY, tags(REPOSITORY, TAGS));
        content.put(NESTED_REPOSITORY, tags(NESTED_REPOSITORY, NESTED_TAGS));
        content.put(EMPTY_REPOSITORY, List.of());
        return content;
    }

    private static List<FakeRegistry.Tag> tags(String repository, List<String> names) {
        List<FakeRegistry.Tag> tags = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            tags.add(FakeRegistry.Tag.of(repository, names.get(i), MEDIA_TYPES.get(i % MEDIA_TYPES.size())));
        }
        return tags;
    }

    @BeforeEach
    void startRegistryAndPlugin() {
        registry = FakeRegistry.start(content(), PAGE_SIZE, anonymousTokens());
        plugin = plugin(registry);
    }

    @AfterEach
    void stopPluginAndRegistry() {
        try {
            if (plugin != null) {
                plugin.stop();
            }
        } finally {
            if (registry != null) {
                registry.close();
            }
        }
    }

    /** An image of the fake registry, as the runtime would parse it from a container. */
    protected ImageRef image(String repository, String tag) {
        return ImageRef.parse(registryName(registry) + "/" + repository + ":" + tag);
    }

    /** The plugin's client for an image, which must not be null. */
    protected RegistryClient client(ImageRef image) {
        RegistryClient client = plugin.client(image);
        assertNotNull(client, plugin.name() + " gave no client for " + image);
        return client;
    }

    private String served(String repository, String tag) {
        return registry.tags(repository).orElseThrow().stream().filter(t -> t.name().equals(tag)).findFirst()
                .orElseThrow().digest();
    }

    // ---- the plugin ----

    @Test
    void hasAStableNameAndAKnownApiVersion() {
        assertFalse(plugin.name() == null || plugin.name().isBlank(), "a plugin has a name");
        assertEquals(plugin.name(), plugin.name());
        assertTrue(plugin.apiVersion() <= Plugin.API_VERSION, "built for API " + plugin.apiVersion()
                + ", newer than this docksmith-api's " + Plugin.API_VERSION);
    }

    @Test
    void servesItsOwnRegistry() {
        assertTrue(plugin.serves(image(REPOSITORY, "latest")), plugin.name() + " must serve " + image(REPOSITORY, "latest"));
        assertTrue(plugin.serves(image(NESTED_REPOSITORY, "v1")));
        assertEquals(plugin.priority(), plugin.priority(), "the priority does not change between calls");
    }

    // ---- tags ----

    @Test
    void tagsFollowEveryPage() {
        List<String> tags = client(image(REPOSITORY, "latest")).tags(image(REPOSITORY, "latest"));
        assertEquals(TAGS.size(), tags.size(), "every tag of every page (" + PAGE_SIZE + " per page), once: " + tags);
        assertEquals(new LinkedHashSet<>(TAGS), new LinkedHashSet<>(tags));
    }

    @Test
    void tagsKeepTheRegistryOrder() {
        assertEquals(TAGS, client(image(REPOSITORY, "latest")).tags(image(REPOSITORY, "latest")),
                "tags in the order the registry lists them: the runtime orders versions itself");
        assertEquals(NESTED_TAGS, client(image(NESTED_REPOSITORY, "v1")).tags(image(NESTED_REPOSITORY, "v1")));
    }

    @Test
    void tagsDoNotDependOnTheTagOfTheReference() {
        ImageRef missingTag = image(REPOSITORY, "no-such-tag");
        assertEquals(TAGS, client(missingTag).tags(missingTag));
    }

    @Test
    void tagsOfARepositoryWithoutTagsAreEmpty() {
        assertEquals(List.of(), client(image(EMPTY_REPOSITORY, "latest")).tags(image(EMPTY_REPOSITORY, "latest")));
    }

    @Test
    void tagsOfAnUnknownRepositoryAreNotFound() {
        ImageRef unknown = image(UNKNOWN_REPOSITORY, "latest");
        RegistryClient client = client(unknown);
        NotFoundException e = assertThrows(NotFoundException.class, () -> client.tags(unknown),
                "an unknown repository is NotFoundException: not another exception, not an empty list");
        assertTrue(e.getMessage() != null && e.getMessage().contains(UNKNOWN_REPOSITORY),
                "the message names the repository: " + e.getMessage());
    }

    // ---- digests ----

    @Test
    void digestIsTheServedDockerContentDigest() {
        for (int i = 0; i < TAGS.size(); i++) {
            ImageRef image = image(REPOSITORY, TAGS.get(i));
            assertEquals(Optional.of(served(REPOSITORY, TAGS.get(i))), client(image).digest(image),
                    "the digest of " + image + ", a " + MEDIA_TYPES.get(i % MEDIA_TYPES.size())
                            + " (the request must accept OCI index, OCI manifest, Docker manifest list and Docker manifest)");
        }
    }

    @Test
    void digestUsesHeadOnly() {
        for (String tag : TAGS) {
            client(image(REPOSITORY, tag)).digest(image(REPOSITORY, tag));
        }
        client(image(REPOSITORY, "no-such-tag")).digest(image(REPOSITORY, "no-such-tag"));
        List<String> manifestRequests = registry.requests().stream().filter(r -> r.contains("/manifests/")).toList();
        assertFalse(manifestRequests.isEmpty(), "the digests were asked of the registry");
        List<String> notHead = manifestRequests.stream().filter(r -> !r.startsWith("HEAD ")).toList();
        assertEquals(List.of(), notHead, "manifests are asked with HEAD only (Docker Hub counts a GET as a pull)");
    }

    @Test
    void digestOfAnUnknownTagIsEmpty() {
        ImageRef image = image(REPOSITORY, "no-such-tag");
        assertEquals(Optional.empty(), client(image).digest(image));
    }

    // ---- sharing ----

    @Test
    void concurrentCallsGetTheirOwnAnswers() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Callable<Void>> calls = new ArrayList<>();
            for (int i = 0; i < 160; i++) {
                int n = i;
                calls.add(() -> {
                    switch (n % 5) {
                        case 0 -> assertEquals(TAGS, client(image(REPOSITORY, "latest")).tags(image(REPOSITORY, "latest")));
                        case 1 -> assertEquals(NESTED_TAGS, client(image(NESTED_REPOSITORY, "v1")).tags(image(NESTED_REPOSITORY, "v1")));
                        case 2 -> {
                            String tag = TAGS.get(n % TAGS.size());
                            assertEquals(Optional.of(served(REPOSITORY, tag)), client(image(REPOSITORY, tag)).digest(image(REPOSITORY, tag)));
                        }
                        case 3 -> assertThrows(NotFoundException.class,
                                () -> client(image(UNKNOWN_REPOSITORY, "latest")).tags(image(UNKNOWN_REPOSITORY, "latest")));
                        default -> assertEquals(Optional.empty(), client(image(NESTED_REPOSITORY, "v3")).digest(image(NESTED_REPOSITORY, "v3")));
                    }
                    return null;
                });
            }
            List<String> failures = new ArrayList<>();
            for (Future<Void> f : pool.invokeAll(calls, 60, TimeUnit.SECONDS)) {
                try {
                    f.get();
                } catch (CancellationException e) {
                    failures.add("a call did not finish within 60 s");
                } catch (ExecutionException e) {
                    failures.add(String.valueOf(e.getCause()));
                }
            }
            if (!failures.isEmpty()) {
                fail(failures.size() + " of " + calls.size() + " concurrent calls went wrong, e.g. " + failures.get(0));
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
