package com.example.keyedregistry;

import com.sun.net.httpserver.HttpServer;
import dev.docksmith.api.ImageRef;
import dev.docksmith.api.RegistryException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the TCK cannot see: the key on every request, the host it serves, and its settings. */
class KeyedRegistryPluginTest {
    private static final String KEY = "right-key";

    private HttpServer registry;
    private String host;
    private final List<String> keysSeen = new CopyOnWriteArrayList<>();

    /** A registry that, like the real one this plugin is for, answers 401 to any request without the key. */
    @BeforeEach
    void startRegistry() throws IOException {
        registry = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        registry.createContext("/", exchange -> {
            try (exchange) {
                String key = exchange.getRequestHeaders().getFirst("X-Registry-Key");
                keysSeen.add(String.valueOf(key));
                if (!KEY.equals(key)) {
                    exchange.sendResponseHeaders(401, -1);
                } else if (exchange.getRequestMethod().equals("HEAD")) {
                    exchange.getResponseHeaders().set("Docker-Content-Digest", "sha256:" + "a".repeat(64));
                    exchange.sendResponseHeaders(200, -1);
                } else {
                    byte[] body = "{\"name\":\"team/app\",\"tags\":[\"1.0\",\"2.0\"]}".getBytes(StandardCharsets.UTF_8);
                    exchange.sendResponseHeaders(200, body.length);
                    exchange.getResponseBody().write(body);
                }
            }
        });
        registry.start();
        host = "127.0.0.1:" + registry.getAddress().getPort();
    }

    @AfterEach
    void stopRegistry() {
        registry.stop(0);
    }

    private ImageRef image() {
        return ImageRef.parse(host + "/team/app:1.0");
    }

    @Test
    void everyRequestCarriesTheKey() {
        KeyedRegistryPlugin plugin = TestContext.started(Map.of("KEYED_REGISTRY_HOST", host, "KEYED_REGISTRY_KEY", KEY));

        assertEquals(List.of("1.0", "2.0"), plugin.client(image()).tags(image()));
        assertEquals(Optional.of("sha256:" + "a".repeat(64)), plugin.client(image()).digest(image()));
        assertEquals(List.of(KEY, KEY), keysSeen);
    }

    @Test
    void aWrongKeyIsARegistryErrorThatSaysSo() {
        KeyedRegistryPlugin plugin = TestContext.started(Map.of("KEYED_REGISTRY_HOST", host, "KEYED_REGISTRY_KEY", "wrong"));

        RegistryException e = assertThrows(RegistryException.class, () -> plugin.client(image()).tags(image()));
        assertEquals(401, e.status());
        assertTrue(e.getMessage().contains("listing tags of " + host + "/team/app") && e.getMessage().contains("X-Registry-Key"),
                e.getMessage());
        assertThrows(RegistryException.class, () -> plugin.client(image()).digest(image()));
    }

    @Test
    void servesOnlyTheConfiguredRegistry() {
        KeyedRegistryPlugin plugin = TestContext.started(Map.of("KEYED_REGISTRY_HOST", host, "KEYED_REGISTRY_KEY", KEY));

        assertTrue(plugin.serves(image()));
        assertFalse(plugin.serves(ImageRef.parse("localhost:5000/team/app:1.0")));
        assertFalse(plugin.serves(ImageRef.parse("nginx:1.25")));
        assertTrue(plugin.priority() > 0, "must win over the generic v2 plugin, which serves every registry at 0");
        plugin.stop();
        assertFalse(plugin.serves(image()), "a stopped plugin serves nothing");
    }

    @Test
    void withoutAHostItServesNothingAndWithoutAKeyItRefusesToStart() {
        assertFalse(TestContext.started(Map.of()).serves(image()));

        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> TestContext.started(Map.of("KEYED_REGISTRY_HOST", host)));
        assertTrue(e.getMessage().contains("KEYED_REGISTRY_KEY"), e.getMessage());
        assertTrue(keysSeen.isEmpty(), "nothing was sent");
    }

    @Test
    void plainHttpOnlyOnLoopback() {
        assertEquals("http", KeyedRegistryPlugin.scheme("127.0.0.1:5001"));
        assertEquals("http", KeyedRegistryPlugin.scheme("localhost:5001"));
        assertEquals("http", KeyedRegistryPlugin.scheme("[::1]:5001"));
        assertEquals("https", KeyedRegistryPlugin.scheme("registry.example.com"));
        assertEquals("https", KeyedRegistryPlugin.scheme("10.0.0.5:5000"));
    }

    /** docs/plugins.md tells plugin authors to override apiVersion() "as in the example": this is the example. */
    @Test
    void recordsTheSpiGenerationItWasBuiltAgainst() throws NoSuchMethodException {
        assertEquals(KeyedRegistryPlugin.class, KeyedRegistryPlugin.class.getMethod("apiVersion").getDeclaringClass(),
                "apiVersion() is declared by the plugin, not inherited from docksmith-api");
        assertEquals(dev.docksmith.spi.Plugin.API_VERSION, new KeyedRegistryPlugin().apiVersion());
    }
}
