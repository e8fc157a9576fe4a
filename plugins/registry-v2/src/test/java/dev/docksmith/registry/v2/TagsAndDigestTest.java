package dev.docksmith.registry.v2;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.docksmith.api.ImageRef;
import dev.docksmith.api.NotFoundException;
import dev.docksmith.api.RegistryException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.head;
import static com.github.tomakehurst.wiremock.client.WireMock.headRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.notFound;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlMatching;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TagsAndDigestTest {
    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @TempDir
    Path dockerConfig;
    V2RegistryClient client;
    String registry;

    @BeforeEach
    void setUp() {
        client = TestSupport.client(wm.baseUrl(), TestSupport.config(dockerConfig), CredentialStore.NONE);
        registry = client.endpoint().registry();
    }

    private ImageRef image(String rest) {
        return ImageRef.parse(registry + "/" + rest);
    }

    @Test
    void listsTagsAskingForLargePages() {
        wm.stubFor(get(urlEqualTo("/v2/team/app/tags/list?n=1000"))
                .willReturn(okJson("{\"name\":\"team/app\",\"tags\":[\"1.0.0\",\"latest\",\"2.0.0\"]}")));

        assertEquals(List.of("1.0.0", "latest", "2.0.0"), client.tags(image("team/app:1.0.0")));
        wm.verify(getRequestedFor(urlEqualTo("/v2/team/app/tags/list?n=1000"))
                .withHeader("Accept", equalTo("application/json")));
    }

    @Test
    void followsLinkPaginationAcrossThreePagesRelativeAndAbsolute() {
        wm.stubFor(get(urlEqualTo("/v2/team/app/tags/list?n=1000"))
                .willReturn(okJson("{\"name\":\"team/app\",\"tags\":[\"a\",\"b\"]}")
                        .withHeader("Link", "</v2/team/app/tags/list?last=b&n=1000>; rel=\"next\"")));
        wm.stubFor(get(urlEqualTo("/v2/team/app/tags/list?last=b&n=1000"))
                .willReturn(okJson("{\"name\":\"team/app\",\"tags\":[\"c\",\"d\"]}")
                        .withHeader("Link", "<" + wm.baseUrl() + "/v2/team/app/tags/list?last=d&n=1000>; rel=\"next\"")));
        wm.stubFor(get(urlEqualTo("/v2/team/app/tags/list?last=d&n=1000"))
                .willReturn(okJson("{\"name\":\"team/app\",\"tags\":[\"e\"]}")));

        assertEquals(List.of("a", "b", "c", "d", "e"), client.tags(image("team/app:a")));
        wm.verify(3, getRequestedFor(urlPathEqualTo("/v2/team/app/tags/list")));
    }

    @Test
    void repositoryWithoutTagsListsNone() {
        wm.stubFor(get(urlPathEqualTo("/v2/team/empty/tags/list")).willReturn(okJson("{\"name\":\"team/empty\",\"tags\":null}")));

        assertEquals(List.of(), client.tags(image("team/empty:x")));
    }

    @Test
    void unknownRepositoryIsNotFoundWithTheRegistrysWords() {
        wm.stubFor(get(urlPathEqualTo("/v2/team/nope/tags/list")).willReturn(aResponse().withStatus(404)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"errors\":[{\"code\":\"NAME_UNKNOWN\",\"message\":\"repository name not known to registry\"}]}")));

        NotFoundException e = assertThrows(NotFoundException.class, () -> client.tags(image("team/nope:1")));
        assertEquals("listing tags of " + registry + "/team/nope: 404 NAME_UNKNOWN repository name not known to registry",
                e.getMessage());
    }

    @Test
    void otherFailuresNameTheActionStatusAndRegistryError() {
        wm.stubFor(get(urlPathEqualTo("/v2/team/app/tags/list")).willReturn(aResponse().withStatus(403)
                .withBody("{\"errors\":[{\"code\":\"DENIED\",\"message\":\"requested access to the resource is denied\"}]}")));

        RegistryException e = assertThrows(RegistryException.class, () -> client.tags(image("team/app:1")));
        assertEquals(403, e.status());
        assertTrue(e.getMessage().startsWith("listing tags of " + registry + "/team/app: 403 DENIED requested access"),
                e.getMessage());
    }

    @Test
    void digestIsAHeadAskingForAllFourManifestTypesAndNeverAGet() {
        String digest = "sha256:" + "ab".repeat(32);
        wm.stubFor(head(urlEqualTo("/v2/team/app/manifests/1.0.0"))
                .willReturn(aResponse().withStatus(200).withHeader("Docker-Content-Digest", digest)
                        .withHeader("Content-Type", "application/vnd.oci.image.index.v1+json")
                        .withHeader("Content-Length", "1234")));

        assertEquals(Optional.of(digest), client.digest(image("team/app:1.0.0")));
        wm.verify(headRequestedFor(urlEqualTo("/v2/team/app/manifests/1.0.0"))
                .withHeader("Accept", containing("application/vnd.oci.image.index.v1+json"))
                .withHeader("Accept", containing("application/vnd.oci.image.manifest.v1+json"))
                .withHeader("Accept", containing("application/vnd.docker.distribution.manifest.list.v2+json"))
                .withHeader("Accept", containing("application/vnd.docker.distribution.manifest.v2+json")));
        wm.verify(0, getRequestedFor(urlMatching("/v2/.*/manifests/.*")));
        wm.verify(1, anyRequestedFor(urlMatching(".*")));
    }

    @Test
    void digestOfAMissingTagIsEmpty() {
        wm.stubFor(head(urlEqualTo("/v2/team/app/manifests/9.9.9")).willReturn(notFound()));

        assertEquals(Optional.empty(), client.digest(image("team/app:9.9.9")));
        wm.verify(0, getRequestedFor(urlMatching("/v2/.*/manifests/.*")));
    }

    @Test
    void digestFallsBackToADigestEtag() {
        String digest = "sha256:" + "cd".repeat(32);
        wm.stubFor(head(urlEqualTo("/v2/team/app/manifests/1")).willReturn(aResponse().withHeader("ETag", "\"" + digest + "\"")));

        assertEquals(Optional.of(digest), client.digest(image("team/app:1")));
    }

    @Test
    void digestAnswerWithoutADigestIsAClearFailure() {
        wm.stubFor(head(urlEqualTo("/v2/team/app/manifests/1")).willReturn(aResponse().withStatus(200)));

        RegistryException e = assertThrows(RegistryException.class, () -> client.digest(image("team/app:1")));
        assertTrue(e.getMessage().contains("fetching the digest of " + registry + "/team/app:1"), e.getMessage());
        assertTrue(e.getMessage().contains("Docker-Content-Digest"), e.getMessage());
    }

    @Test
    void headFailureWithoutABodyUsesTheReasonPhrase() {
        wm.stubFor(head(urlEqualTo("/v2/team/app/manifests/1")).willReturn(aResponse().withStatus(403)));

        RegistryException e = assertThrows(RegistryException.class, () -> client.digest(image("team/app:1")));
        assertEquals("fetching the digest of " + registry + "/team/app:1: 403 Forbidden", e.getMessage());
    }
}
