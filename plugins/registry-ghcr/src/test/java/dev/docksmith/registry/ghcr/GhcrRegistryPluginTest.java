package dev.docksmith.registry.ghcr;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.docksmith.api.ImageRef;
import dev.docksmith.api.RegistryException;
import dev.docksmith.registry.v2.RegistryConfig;
import dev.docksmith.spi.RegistryPlugin;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.unauthorized;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GhcrRegistryPluginTest {
    @RegisterExtension
    static WireMockExtension ghcr = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @TempDir
    Path dockerConfig;

    private final ImageRef plex = ImageRef.parse("ghcr.io/linuxserver/plex:1.40.0");

    private GhcrRegistryPlugin plugin(Map<String, String> extra) {
        Map<String, String> settings = new HashMap<>(extra);
        settings.put("DOCKER_CONFIG", dockerConfig.toString());
        settings.put("DOCKSMITH_CREDENTIAL_HELPER_PATH", dockerConfig.toString());
        RegistryConfig config = RegistryConfig.of(settings).withRetries(2, Duration.ofMillis(10), Duration.ofSeconds(5));
        return new GhcrRegistryPlugin(config, URI.create(ghcr.baseUrl()));
    }

    @BeforeEach
    void ghcrLikeRegistry() {
        ghcr.stubFor(any(urlPathMatching("/v2/.*")).atPriority(10).willReturn(unauthorized()
                .withHeader("WWW-Authenticate", "Bearer realm=\"" + ghcr.baseUrl() + "/token\",service=\"ghcr.io\","
                        + "scope=\"repository:linuxserver/plex:pull\"")));
        ghcr.stubFor(get(urlPathEqualTo("/v2/linuxserver/plex/tags/list")).atPriority(1)
                .withHeader("Authorization", equalTo("Bearer ghcr-token"))
                .willReturn(okJson("{\"name\":\"linuxserver/plex\",\"tags\":[\"1.40.0\",\"1.40.1\"]}")));
    }

    @Test
    void servesGhcrOnlyAboveTheGenericPlugin() {
        GhcrRegistryPlugin plugin = new GhcrRegistryPlugin();
        assertEquals("registry-ghcr", plugin.name());
        assertEquals(10, plugin.priority());
        assertTrue(plugin.serves(plex));
        assertFalse(plugin.serves(ImageRef.parse("nginx")));
        assertFalse(plugin.serves(ImageRef.parse("ghcr.example/x:1")));
        assertEquals("https://ghcr.io", plugin.clientFor("ghcr.io").endpoint().base().toString());
        assertTrue(ServiceLoader.load(RegistryPlugin.class).stream().anyMatch(p -> p.type() == GhcrRegistryPlugin.class));
    }

    @Test
    void githubTokenIsThePasswordOfTheTokenExchange() {
        ghcr.stubFor(get(urlPathEqualTo("/token")).withQueryParam("service", equalTo("ghcr.io"))
                .withQueryParam("scope", equalTo("repository:linuxserver/plex:pull"))
                .withBasicAuth(GhcrRegistryPlugin.USERNAME, "ghp_secret")
                .willReturn(okJson("{\"token\":\"ghcr-token\"}")));
        GhcrRegistryPlugin plugin = plugin(Map.of("GITHUB_TOKEN", "ghp_secret"));

        assertEquals(List.of("1.40.0", "1.40.1"), plugin.client(plex).tags(plex));
    }

    @Test
    void configJsonCredentialsWithoutGithubToken() throws Exception {
        String auth = Base64.getEncoder().encodeToString("octocat:ghp_file".getBytes(StandardCharsets.UTF_8));
        Files.writeString(dockerConfig.resolve("config.json"), "{\"auths\":{\"ghcr.io\":{\"auth\":\"" + auth + "\"}}}");
        ghcr.stubFor(get(urlPathEqualTo("/token")).withBasicAuth("octocat", "ghp_file").willReturn(okJson("{\"token\":\"ghcr-token\"}")));
        GhcrRegistryPlugin plugin = plugin(Map.of());

        assertEquals(List.of("1.40.0", "1.40.1"), plugin.client(plex).tags(plex));
    }

    @Test
    void anonymousForPublicImagesAndAClearErrorForPrivateOnes() {
        ghcr.stubFor(get(urlPathEqualTo("/token")).withHeader("Authorization", absent()).willReturn(okJson("{\"token\":\"ghcr-token\"}")));
        GhcrRegistryPlugin plugin = plugin(Map.of());

        assertEquals(List.of("1.40.0", "1.40.1"), plugin.client(plex).tags(plex));

        ImageRef secret = ImageRef.parse("ghcr.io/acme/secret:1");
        RegistryException e = assertThrows(RegistryException.class, () -> plugin.client(secret).tags(secret));
        assertEquals(401, e.status());
        assertTrue(e.getMessage().startsWith("listing tags of ghcr.io/acme/secret: 401"), e.getMessage());
        assertTrue(e.getMessage().contains("no credentials for ghcr.io"), e.getMessage());
        // plex, then acme/secret up front (challenge known), then once more after its 401
        ghcr.verify(3, getRequestedFor(urlPathEqualTo("/token")));
    }
}
