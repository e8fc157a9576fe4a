package dev.docksmith.registry.v2;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.docksmith.api.ImageRef;
import dev.docksmith.spi.RegistryPlugin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class V2RegistryPluginTest {
    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @TempDir
    Path dockerConfig;

    @Test
    void isFoundByServiceLoaderAsTheGenericFallback() {
        List<RegistryPlugin> plugins = ServiceLoader.load(RegistryPlugin.class).stream().map(ServiceLoader.Provider::get).toList();
        RegistryPlugin v2 = plugins.stream().filter(p -> p instanceof V2RegistryPlugin).findFirst().orElseThrow();
        assertEquals("registry-v2", v2.name());
        assertEquals(0, v2.priority());
        assertTrue(v2.serves(ImageRef.parse("quay.io/x/y:1")));
        assertTrue(v2.serves(ImageRef.parse("nginx")));
    }

    @Test
    void oneSharedClientPerRegistry() {
        V2RegistryPlugin plugin = new V2RegistryPlugin();
        assertSame(plugin.client(ImageRef.parse("quay.io/a/b:1")), plugin.client(ImageRef.parse("quay.io/c/d:2")));
        assertNotSame(plugin.client(ImageRef.parse("quay.io/a/b:1")), plugin.client(ImageRef.parse("ghcr.io/a/b:1")));
        assertEquals("https://quay.io", plugin.clientFor("quay.io").endpoint().base().toString());
    }

    @Test
    void worksWithoutStartAndReadsSettingsWhenStarted() throws Exception {
        V2RegistryPlugin plugin = new V2RegistryPlugin();
        assertEquals(Duration.ofSeconds(10), plugin.config().timeout());

        Path bin = Files.createDirectory(dockerConfig.resolve("bin"));
        TestSupport.script(bin, "docker-credential-t", "cat >/dev/null; echo '{\"Username\":\"hu\",\"Secret\":\"hs\"}'");
        Files.writeString(dockerConfig.resolve("config.json"), "{\"credHelpers\":{\"reg.lan:5000\":\"t\"}}");
        plugin.start(TestSupport.context(TestSupport.settings(Map.of(
                "DOCKER_CONFIG", dockerConfig.toString(),
                "DOCKSMITH_CREDENTIAL_HELPER_PATH", bin.toString(),
                "DOCKSMITH_INSECURE_REGISTRIES", "reg.lan:5000",
                "DOCKSMITH_REGISTRY_TIMEOUT", "2s",
                "DOCKSMITH_REGISTRY_CONCURRENCY", "3")), Clock.systemUTC()));

        assertEquals(Duration.ofSeconds(2), plugin.config().timeout());
        assertEquals(3, plugin.config().concurrency());
        assertEquals("http://reg.lan:5000", plugin.clientFor("reg.lan:5000").endpoint().base().toString());
        String auth = plugin.registryAuth(ImageRef.parse("reg.lan:5000/team/app:1")).orElseThrow();
        assertEquals("{\"username\":\"hu\",\"password\":\"hs\",\"serveraddress\":\"reg.lan:5000\"}",
                new String(Base64.getUrlDecoder().decode(auth), StandardCharsets.UTF_8));
        assertEquals(Optional.empty(), plugin.registryAuth(ImageRef.parse("other.lan/team/app:1")));
    }

    @Test
    void talksToALocalhostRegistryOverPlainHttp() {
        wm.stubFor(get(urlPathEqualTo("/v2/team/app/tags/list")).willReturn(okJson("{\"tags\":[\"1\",\"2\"]}")));
        V2RegistryPlugin plugin = new V2RegistryPlugin(TestSupport.config(dockerConfig));
        ImageRef image = ImageRef.parse("localhost:" + wm.getPort() + "/team/app:1");

        assertEquals(List.of("1", "2"), plugin.client(image).tags(image));
    }
}
