package dev.docksmith.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.docksmith.api.ContainerInfo;
import dev.docksmith.api.ImageRef;
import dev.docksmith.runtime.config.DocksmithConfig;
import dev.docksmith.runtime.config.Setting;
import dev.docksmith.spi.RegistryClient;
import dev.docksmith.spi.RegistryPlugin;
import dev.docksmith.spi.UpdateStrategy;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.StreamSupport;

/** Plugins and helpers for tests that build a whole Docksmith without a Docker engine. */
final class TestPlugins {
    private TestPlugins() {
    }

    /**
     * Docksmith's own server on a free loopback port, no background checks, and an engine address
     * where nothing listens: Docksmith starts without an engine, and no test here can touch a real one.
     */
    static DocksmithConfig noEngine(Path dir) {
        return DocksmithConfig.defaults()
                .with(Setting.DOCKER_HOST, "unix://" + dir.resolve("no-engine.sock"))
                .with(Setting.PORT, "0")
                .with(Setting.CHECK_INTERVAL, "0")
                .with(Setting.DATA, dir.resolve("data").toString())
                .with(Setting.PLUGINS_DIR, dir.resolve("plugins").toString())
                .with(Setting.SCRIPTS_DIR, dir.resolve("scripts").toString());
    }

    /** A registry plugin whose client lists fixed tags; each behaviour can be replaced to misbehave. */
    static class FixedTags implements RegistryPlugin {
        final String name;
        final List<String> tags;

        FixedTags(String name, String... tags) {
            this.name = name;
            this.tags = List.of(tags);
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public boolean serves(ImageRef image) {
            return true;
        }

        @Override
        public RegistryClient client(ImageRef image) {
            return new RegistryClient() {
                @Override
                public List<String> tags(ImageRef repository) {
                    return tags;
                }

                @Override
                public Optional<String> digest(ImageRef image) {
                    return Optional.empty();
                }
            };
        }
    }

    /** A strategy that supports nothing; only its life cycle matters in these tests. */
    static class IdleStrategy implements UpdateStrategy {
        private final String name;

        IdleStrategy(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public boolean supports(ContainerInfo container) {
            return false;
        }

        @Override
        public Optional<String> declaredImage(ContainerInfo container) {
            return Optional.empty();
        }
    }

    /** The {@code data} of a GET on Docksmith's own server. */
    static JsonNode get(Docksmith docksmith, String path) throws IOException {
        HttpURLConnection c = (HttpURLConnection) new URL("http://127.0.0.1:" + docksmith.port() + path).openConnection();
        try {
            int status = c.getResponseCode();
            try (InputStream in = status < 400 ? c.getInputStream() : c.getErrorStream()) {
                JsonNode body = new ObjectMapper().readTree(in);
                if (status != 200) {
                    throw new AssertionError("GET " + path + ": " + status + " " + body);
                }
                return body.path("data");
            }
        } finally {
            c.disconnect();
        }
    }

    /** The entries of a JSON array that match. */
    static List<JsonNode> where(JsonNode array, Predicate<JsonNode> test) {
        return StreamSupport.stream(array.spliterator(), false).filter(test).toList();
    }
}
