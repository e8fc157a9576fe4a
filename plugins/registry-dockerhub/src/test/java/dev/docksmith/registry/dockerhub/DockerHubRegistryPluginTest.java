package dev.docksmith.registry.dockerhub;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.docksmith.api.ImageRef;
import dev.docksmith.registry.v2.RegistryConfig;
import dev.docksmith.registry.v2.V2RegistryPlugin;
import dev.docksmith.spi.RegistryPlugin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.head;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.unauthorized;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DockerHubRegistryPluginTest {
    /** Plays registry-1.docker.io, auth.docker.io and hub.docker.com at once. */
    @RegisterExtension
    static WireMockExtension hub = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @TempDir
    Path dockerConfig;

    private DockerHubRegistryPlugin plugin(Map<String, String> settings) {
        RegistryConfig config = RegistryConfig.of(Map.of()).withDockerConfigDir(dockerConfig).withHelperPath(List.of())
                .withRetries(2, Duration.ofMillis(10), Duration.ofSeconds(5));
        if (!settings.isEmpty()) {
            config = RegistryConfig.of(settings).withDockerConfigDir(dockerConfig).withHelperPath(List.of());
        }
        URI base = URI.create(hub.baseUrl());
        return new DockerHubRegistryPlugin(config, base, base);
    }

    private void hubLikeRegistry() {
        hub.stubFor(any(urlPathMatching("/v2/library/.*")).atPriority(10).willReturn(unauthorized()
                .withHeader("WWW-Authenticate", "Bearer realm=\"" + hub.baseUrl() + "/token\",service=\"registry.docker.io\","
                        + "scope=\"repository:library/nginx:pull\"")));
        hub.stubFor(get(urlEqualTo("/v2/library/nginx/tags/list?n=1000")).atPriority(1)
                .withHeader("Authorization", equalTo("Bearer hub-token"))
                .willReturn(okJson("{\"name\":\"library/nginx\",\"tags\":[\"1.25\",\"1.25-alpine\",\"latest\"]}")));
        hub.stubFor(head(urlEqualTo("/v2/library/nginx/manifests/latest")).atPriority(1)
                .withHeader("Authorization", equalTo("Bearer hub-token"))
                .willReturn(aResponse().withHeader("Docker-Content-Digest", "sha256:" + "e".repeat(64))
                        .withHeader("ratelimit-limit", "100;w=21600").withHeader("ratelimit-remaining", "3;w=21600")));
    }

    @Test
    void servesDockerHubOnlyWithAHigherPriorityThanTheGenericPlugin() {
        DockerHubRegistryPlugin plugin = new DockerHubRegistryPlugin();
        assertEquals("registry-dockerhub", plugin.name());
        assertEquals(10, plugin.priority());
        assertTrue(plugin.serves(ImageRef.parse("nginx")));
        assertTrue(plugin.serves(ImageRef.parse("index.docker.io/grafana/grafana:10")));
        assertFalse(plugin.serves(ImageRef.parse("ghcr.io/x/y:1")));
        assertFalse(plugin.serves(ImageRef.parse("localhost:5000/x:1")));
        assertEquals("https://registry-1.docker.io", plugin.clientFor("docker.io").endpoint().base().toString());

        List<RegistryPlugin> loaded = ServiceLoader.load(RegistryPlugin.class).stream().map(ServiceLoader.Provider::get)
                .filter(p -> p.serves(ImageRef.parse("nginx"))).sorted(Comparator.comparingInt(RegistryPlugin::priority).reversed())
                .toList();
        assertInstanceOf(DockerHubRegistryPlugin.class, loaded.get(0));
        assertInstanceOf(V2RegistryPlugin.class, loaded.get(1));
    }

    @Test
    void tokenFromTheHubTokenServiceThenTagsAndDigestByHead() {
        hubLikeRegistry();
        hub.stubFor(get(urlPathEqualTo("/token")).withQueryParam("service", equalTo("registry.docker.io"))
                .withQueryParam("scope", equalTo("repository:library/nginx:pull")).withHeader("Authorization", absent())
                .willReturn(okJson("{\"token\":\"hub-token\",\"expires_in\":300}")));
        DockerHubRegistryPlugin plugin = plugin(Map.of());
        ImageRef nginx = ImageRef.parse("nginx");

        assertEquals(List.of("1.25", "1.25-alpine", "latest"), plugin.client(nginx).tags(nginx));
        assertEquals(Optional.of("sha256:" + "e".repeat(64)), plugin.client(nginx).digest(nginx));
        hub.verify(1, getRequestedFor(urlPathEqualTo("/token")));
        hub.verify(0, getRequestedFor(urlPathMatching("/v2/.*/manifests/.*")));
    }

    @Test
    void dockerLoginCredentialsAreUsedForTheToken() throws Exception {
        hubLikeRegistry();
        String auth = Base64.getEncoder().encodeToString("hubuser:hubpass".getBytes(StandardCharsets.UTF_8));
        Files.writeString(dockerConfig.resolve("config.json"), "{\"auths\":{\"https://index.docker.io/v1/\":{\"auth\":\"" + auth + "\"}}}");
        hub.stubFor(get(urlPathEqualTo("/token")).withBasicAuth("hubuser", "hubpass")
                .willReturn(okJson("{\"token\":\"hub-token\",\"expires_in\":300}")));
        DockerHubRegistryPlugin plugin = plugin(Map.of());
        ImageRef nginx = ImageRef.parse("nginx:1.25");

        assertEquals(3, plugin.client(nginx).tags(nginx).size());
        String header = plugin.registryAuth(nginx).orElseThrow();
        assertEquals("{\"username\":\"hubuser\",\"password\":\"hubpass\",\"serveraddress\":\"https://index.docker.io/v1/\"}",
                new String(Base64.getUrlDecoder().decode(header), StandardCharsets.UTF_8));
    }

    @Test
    void hubTagApiWhenAskedForFollowingNext() {
        hub.stubFor(get(urlEqualTo("/v2/repositories/library/nginx/tags?page_size=100")).willReturn(okJson(
                "{\"count\":3,\"next\":\"" + hub.baseUrl() + "/v2/repositories/library/nginx/tags?page=2&page_size=100\","
                        + "\"results\":[{\"name\":\"mainline\"},{\"name\":\"1.27\"}]}")));
        hub.stubFor(get(urlEqualTo("/v2/repositories/library/nginx/tags?page=2&page_size=100")).willReturn(okJson(
                "{\"count\":3,\"next\":null,\"results\":[{\"name\":\"1.26\"}]}")));
        DockerHubRegistryPlugin plugin = plugin(Map.of(DockerHubRegistryPlugin.TAG_API, "true"));
        ImageRef nginx = ImageRef.parse("nginx");

        assertEquals(List.of("mainline", "1.27", "1.26"), plugin.client(nginx).tags(nginx));
        hub.verify(0, getRequestedFor(urlPathMatching("/v2/library/.*")));
    }

    @Test
    void hubTagApiFailureFallsBackToTheRegistryList() {
        hubLikeRegistry();
        hub.stubFor(get(urlPathEqualTo("/token")).willReturn(okJson("{\"token\":\"hub-token\"}")));
        hub.stubFor(get(urlPathMatching("/v2/repositories/.*")).willReturn(aResponse().withStatus(403)));
        DockerHubRegistryPlugin plugin = plugin(Map.of(DockerHubRegistryPlugin.TAG_API, "yes"));
        ImageRef nginx = ImageRef.parse("nginx");

        assertEquals(List.of("1.25", "1.25-alpine", "latest"), plugin.client(nginx).tags(nginx));
    }

    @Test
    void rateLimitHeadersAreRead() {
        HttpHeaders headers = HttpHeaders.of(Map.of("ratelimit-limit", List.of("100;w=21600"),
                "ratelimit-remaining", List.of("76;w=21600")), (a, b) -> true);
        RateLimit limit = RateLimit.of(headers).orElseThrow();
        assertEquals(new RateLimit(100, 76, 21600), limit);
        assertFalse(limit.low());
        assertTrue(new RateLimit(100, 10, 21600).low());
        assertTrue(new RateLimit(5000, 400, 21600).low());
        assertEquals(Optional.empty(), RateLimit.of(HttpHeaders.of(Map.of(), (a, b) -> true)));
        assertEquals(Optional.empty(), RateLimit.of(HttpHeaders.of(Map.of("ratelimit-remaining", List.of("lots")), (a, b) -> true)));
    }
}
