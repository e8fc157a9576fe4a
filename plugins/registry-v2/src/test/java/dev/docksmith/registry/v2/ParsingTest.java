package dev.docksmith.registry.v2;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ParsingTest {
    @Test
    void bearerChallengeWithQuotedCommas() {
        Challenge c = Challenge.parse("Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\","
                + "scope=\"repository:library/nginx:pull,push\",error=\"insufficient_scope\"");
        assertTrue(c.isBearer());
        assertEquals("https://auth.docker.io/token", c.realm());
        assertEquals("registry.docker.io", c.service());
        assertEquals("repository:library/nginx:pull,push", c.scope());
    }

    @Test
    void basicChallengeAndPreference() {
        assertTrue(Challenge.parse("Basic realm=\"Registry Realm\"").isBasic());
        assertTrue(Challenge.pick(List.of("Basic realm=\"x\"", "Bearer realm=\"https://a/token\"")).isBearer());
        assertTrue(Challenge.pick(List.of("Basic realm=\"x\"")).isBasic());
        assertNull(Challenge.pick(List.of("Bearer service=\"no realm\"")));
        assertNull(Challenge.pick(List.of()));
    }

    @Test
    void linkHeaderNextTargets() {
        assertEquals(Optional.of("/v2/a/tags/list?last=b&n=2"), TagsListCall.nextTarget("</v2/a/tags/list?last=b&n=2>; rel=\"next\""));
        assertEquals(Optional.of("https://r.example/v2/a/tags/list?last=c"),
                TagsListCall.nextTarget("<https://r.example/v2/a/tags/list?first>; rel=\"prev\", "
                        + "<https://r.example/v2/a/tags/list?last=c>; rel=next"));
        assertEquals(Optional.empty(), TagsListCall.nextTarget("</v2/a/tags/list?x>; rel=\"prev\""));
    }

    @Test
    void tagPagesParseStreaming() {
        List<String> tags = new ArrayList<>();
        TagsListCall.parse("{\"name\":\"a\",\"tags\":[\"1\",\"2\"],\"extra\":{\"x\":[1]}}".getBytes(StandardCharsets.UTF_8), tags, "r/a");
        TagsListCall.parse("{\"tags\":null}".getBytes(StandardCharsets.UTF_8), tags, "r/a");
        assertEquals(List.of("1", "2"), tags);
        assertThrows(dev.docksmith.api.RegistryException.class,
                () -> TagsListCall.parse("<html>".getBytes(StandardCharsets.UTF_8), tags, "r/a"));
    }

    @Test
    void registryErrorBodies() {
        assertArrayEquals(new String[] {"NAME_UNKNOWN", "repository name not known to registry"}, RegistryErrors.error(
                "{\"errors\":[{\"code\":\"NAME_UNKNOWN\",\"message\":\"repository name not known to registry\",\"detail\":{}}]}"
                        .getBytes(StandardCharsets.UTF_8)));
        assertArrayEquals(new String[] {null, "incorrect username or password"},
                RegistryErrors.error("{\"details\":\"incorrect username or password\"}".getBytes(StandardCharsets.UTF_8)));
        assertArrayEquals(new String[] {null, "plain words"}, RegistryErrors.error("plain words\nmore".getBytes(StandardCharsets.UTF_8)));
        assertArrayEquals(new String[] {null, null}, RegistryErrors.error("<html>oops</html>".getBytes(StandardCharsets.UTF_8)));
        assertArrayEquals(new String[] {null, null}, RegistryErrors.error(new byte[0]));
    }

    @Test
    void tokenLifetimeKeepsAMargin() {
        BearerToken t = BearerToken.of("abc", 60, 0);
        assertEquals("Bearer abc", t.header());
        assertTrue(t.validAt(53_999));
        assertFalse(t.validAt(54_000));
        assertEquals(54_000, BearerToken.of("abc", 0, 0).expiresAtMillis(), "60 s when the endpoint does not say");
        assertEquals(270_000, BearerToken.of("abc", 300, 0).expiresAtMillis());
        assertEquals(3_570_000, BearerToken.of("abc", 3600, 0).expiresAtMillis(), "the margin stops at 30 s");
    }

    @Test
    void settingsAreReadWithDefaults() {
        RegistryConfig d = RegistryConfig.of(Map.of());
        assertEquals(Duration.ofSeconds(10), d.timeout());
        assertEquals(RegistryConfig.DEFAULT_CONCURRENCY, d.concurrency());
        assertEquals(Set.of(), d.insecureRegistries());
        assertTrue(d.dockerConfigDir().endsWith(".docker"));

        RegistryConfig c = RegistryConfig.of(Map.of("DOCKSMITH_REGISTRY_TIMEOUT", "3s", "DOCKSMITH_REGISTRY_CONCURRENCY", "4",
                "DOCKSMITH_INSECURE_REGISTRIES", "reg.lan:5000, http://other.lan", "DOCKER_CONFIG", "/etc/dc",
                "DOCKSMITH_CREDENTIAL_HELPER_PATH", "/a:/b"));
        assertEquals(Duration.ofSeconds(3), c.timeout());
        assertEquals(4, c.concurrency());
        assertEquals(Set.of("reg.lan:5000", "other.lan"), c.insecureRegistries());
        assertEquals(java.nio.file.Path.of("/etc/dc"), c.dockerConfigDir());
        assertEquals(List.of(java.nio.file.Path.of("/a"), java.nio.file.Path.of("/b")), c.helperPath());

        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> RegistryConfig.of(Map.of("DOCKSMITH_REGISTRY_CONCURRENCY", "zero")));
        assertTrue(bad.getMessage().startsWith("DOCKSMITH_REGISTRY_CONCURRENCY"));
        bad = assertThrows(IllegalArgumentException.class, () -> RegistryConfig.of(Map.of("DOCKSMITH_REGISTRY_TIMEOUT", "soon")));
        assertTrue(bad.getMessage().startsWith("DOCKSMITH_REGISTRY_TIMEOUT"));
    }

    @Test
    void plainHttpOnlyForLoopbackAndListedRegistries() {
        RegistryConfig c = RegistryConfig.of(Map.of("DOCKSMITH_INSECURE_REGISTRIES", "reg.lan:5000,plain.lan"));
        assertEquals("http://localhost:5000", RegistryEndpoint.of("localhost:5000", c).base().toString());
        assertEquals("http://127.0.0.1:5000", RegistryEndpoint.of("127.0.0.1:5000", c).base().toString());
        assertEquals("http://[::1]:5000", RegistryEndpoint.of("[::1]:5000", c).base().toString());
        assertEquals("http://reg.lan:5000", RegistryEndpoint.of("reg.lan:5000", c).base().toString());
        assertEquals("http://plain.lan:8080", RegistryEndpoint.of("plain.lan:8080", c).base().toString());
        assertEquals("https://reg.lan", RegistryEndpoint.of("reg.lan", c).base().toString());
        assertEquals("https://ghcr.io", RegistryEndpoint.of("ghcr.io", c).base().toString());
        assertEquals("https://registry-1.docker.io", RegistryEndpoint.of("docker.io", c).base().toString());
        assertEquals("docker.io (registry-1.docker.io)", RegistryEndpoint.of("docker.io", c).describe());
        assertEquals(Clock.systemUTC().getZone(), c.clock().getZone());
    }
}
