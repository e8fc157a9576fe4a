package dev.docksmith.runtime.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigLoaderTest {

    @Test
    void defaultsMatchTheDocumentedOnes() {
        DocksmithConfig c = ConfigLoader.load(Map.of(), List.of());
        assertEquals("unix:///var/run/docker.sock", c.dockerHost());
        assertEquals(3000, c.port());
        assertEquals("127.0.0.1", c.bind());
        assertNull(c.apiToken());
        assertEquals(Path.of("./data"), c.dataDir());
        assertEquals(Path.of("./data/scripts"), c.scriptsDir());
        assertEquals(Path.of("/var/lib/docksmith/scripts"),
                ConfigLoader.load(Map.of(), List.of("--data", "/var/lib/docksmith")).scriptsDir(), "follows the data directory");
        assertEquals(Path.of("/srv/checks"), ConfigLoader.load(Map.of("DOCKSMITH_DATA", "/var/lib/docksmith"),
                List.of("--scripts-dir", "/srv/checks")).scriptsDir());
        assertEquals(Duration.ofMinutes(5), c.checkInterval());
        assertEquals(Duration.ofHours(1), c.cacheTtl());
        assertEquals(Duration.ofSeconds(30), c.dockerTimeout());
    }

    @Test
    void flagsOverrideEnvironmentWhichOverridesTheFile(@TempDir Path dir) throws Exception {
        Path yaml = dir.resolve("docksmith.yml");
        Files.writeString(yaml, "port: 4000\nbind: 0.0.0.0\napi_token: t0ken\nCHECK_INTERVAL: 10m\nallowed_origins:\n  - http://a\n  - http://b\n");
        DocksmithConfig fileOnly = ConfigLoader.load(Map.of(), List.of("--config", yaml.toString()));
        assertEquals(4000, fileOnly.port());
        assertEquals("0.0.0.0", fileOnly.bind());
        assertEquals(Duration.ofMinutes(10), fileOnly.checkInterval());
        assertEquals(List.of("http://a", "http://b"), fileOnly.allowedOrigins());

        DocksmithConfig envWins = ConfigLoader.load(Map.of("DOCKSMITH_PORT", "5000", "DOCKSMITH_CONFIG", yaml.toString()), List.of());
        assertEquals(5000, envWins.port());
        assertEquals("0.0.0.0", envWins.bind());

        DocksmithConfig flagWins = ConfigLoader.load(Map.of("DOCKSMITH_PORT", "5000"),
                List.of("--config=" + yaml, "--port", "6000"));
        assertEquals(6000, flagWins.port());
        assertEquals("6000", flagWins.text("DOCKSMITH_PORT").orElseThrow());
    }

    @Test
    void badValuesNameTheSetting() {
        assertMessage("DOCKSMITH_PORT: 'abc' is not a port number", Map.of("DOCKSMITH_PORT", "abc"), List.of());
        assertMessage("DOCKSMITH_PORT: '70000'", Map.of(), List.of("--port", "70000"));
        assertMessage("CHECK_INTERVAL: 'soon' is not a duration", Map.of("CHECK_INTERVAL", "soon"), List.of());
        assertMessage("CACHE_TTL: '-5m' is negative", Map.of("CACHE_TTL", "-5m"), List.of());
        assertMessage("DOCKER_HOST: 'http://x' must start with unix:// or tcp://", Map.of("DOCKER_HOST", "http://x"), List.of());
        assertMessage("DOCKSMITH_DOCKER_TIMEOUT: must be greater than 0", Map.of("DOCKSMITH_DOCKER_TIMEOUT", "0"), List.of());
        assertMessage("unknown option '--prot'", Map.of(), List.of("--prot", "1"));
        assertMessage("DOCKSMITH_SCRIPT_TIMEOUT: must be greater than 0", Map.of("DOCKSMITH_SCRIPT_TIMEOUT", "0"), List.of());
        assertMessage("DOCKSMITH_REGISTRY_CONCURRENCY: 'many'", Map.of(), List.of("--registry-concurrency", "many"));
        assertMessage("--port: needs a value", Map.of(), List.of("--port"));
    }

    /** Anyone reaching the API controls the Docker host: an open bind needs a token or an explicit opt-out. */
    @Test
    void aBindOtherHostsReachWithoutATokenIsRefusedUnlessAllowedExplicitly(@TempDir Path dir) throws Exception {
        assertMessage("DOCKSMITH_BIND: '0.0.0.0' is reachable from other hosts and DOCKSMITH_API_TOKEN is not set",
                Map.of(), List.of("--bind", "0.0.0.0"));
        assertMessage("DOCKSMITH_ALLOW_NO_AUTH=true (--allow-no-auth)", Map.of("DOCKSMITH_BIND", "0.0.0.0"), List.of());
        assertMessage("DOCKSMITH_ALLOW_NO_AUTH: 'maybe' is not true or false",
                Map.of("DOCKSMITH_ALLOW_NO_AUTH", "maybe"), List.of());

        assertEquals("0.0.0.0", ConfigLoader.load(Map.of(), List.of("--bind", "0.0.0.0", "--api-token", "t0ken")).bind());
        for (String loopback : List.of("127.0.0.1", "localhost", "::1", "127.0.0.2")) {
            assertEquals(loopback, ConfigLoader.load(Map.of(), List.of("--bind", loopback)).bind());
        }
        DocksmithConfig bare = ConfigLoader.load(Map.of(), List.of("--allow-no-auth", "--bind", "0.0.0.0"));
        assertTrue(bare.allowNoAuth(), "--allow-no-auth alone means true");
        assertTrue(ConfigLoader.load(Map.of("DOCKSMITH_ALLOW_NO_AUTH", "true", "DOCKSMITH_BIND", "0.0.0.0"), List.of()).allowNoAuth());
        assertMessage("DOCKSMITH_BIND: '0.0.0.0'", Map.of(), List.of("--allow-no-auth", "false", "--bind", "0.0.0.0"));
        Path yaml = dir.resolve("proxied.yml");
        Files.writeString(yaml, "bind: 0.0.0.0\nallow_no_auth: true\n");
        assertTrue(ConfigLoader.load(Map.of(), List.of("--config", yaml.toString())).allowNoAuth());
    }

    @Test
    void badFilesNameTheFileAndTheProblem(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("nope.yml");
        assertMessage("cannot read " + missing, Map.of(), List.of("--config", missing.toString()));
        Path broken = dir.resolve("broken.yml");
        Files.writeString(broken, "port: [1, 2\n");
        assertMessage("is not valid YAML", Map.of(), List.of("--config", broken.toString()));
        Path unknown = dir.resolve("unknown.yml");
        Files.writeString(unknown, "colour: blue\n");
        assertMessage("unknown setting 'colour'", Map.of(), List.of("--config", unknown.toString()));
        Path scalar = dir.resolve("scalar.yml");
        Files.writeString(scalar, "just text\n");
        assertMessage("must be a mapping", Map.of(), List.of("--config", scalar.toString()));
        Path badPort = dir.resolve("port.yml");
        Files.writeString(badPort, "port: lots\n");
        assertMessage("DOCKSMITH_PORT: 'lots'", Map.of(), List.of("--config", badPort.toString()));
    }

    @Test
    void settingsFacadeReadsFlagsAndDurations() {
        DocksmithConfig c = ConfigLoader.load(Map.of("DOCKER_TLS_VERIFY", "yes", "CACHE_TTL", "90s"), List.of());
        assertTrue(c.dockerTlsVerify());
        assertTrue(c.flag("DOCKER_TLS_VERIFY"));
        assertFalse(c.flag("GITHUB_TOKEN"));
        assertEquals(Duration.ofSeconds(90), c.duration("CACHE_TTL").orElseThrow());
    }

    @Test
    void helpListsEverySetting() {
        String help = ConfigLoader.help();
        for (Setting s : Setting.ALL) {
            assertTrue(help.contains(s.flag()) && help.contains(s.env()), s.env());
        }
    }

    private static void assertMessage(String expected, Map<String, String> env, List<String> args) {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(env, args));
        assertTrue(e.getMessage().contains(expected), () -> "expected '" + expected + "' in: " + e.getMessage());
    }
}
