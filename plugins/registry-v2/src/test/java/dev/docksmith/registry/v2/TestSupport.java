package dev.docksmith.registry.v2;

import dev.docksmith.spi.DockerEngine;
import dev.docksmith.spi.EventSink;
import dev.docksmith.spi.PluginContext;
import dev.docksmith.spi.Settings;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/** Small helpers shared by the registry tests. */
final class TestSupport {
    private TestSupport() {
    }

    static Settings settings(Map<String, String> values) {
        return name -> Optional.ofNullable(values.get(name));
    }

    /** Defaults with short pauses, no credentials dir, no helpers: fast and independent of the machine. */
    static RegistryConfig config(Path dockerConfig) {
        return RegistryConfig.of(Map.of())
                .withDockerConfigDir(dockerConfig)
                .withHelperPath(List.of())
                .withRetries(3, Duration.ofMillis(20), Duration.ofSeconds(5))
                .withTimeout(Duration.ofSeconds(5));
    }

    /** A client for a WireMock (or any local) server, filed under the registry name {@code localhost:<port>}. */
    static V2RegistryClient client(String baseUrl, RegistryConfig config, CredentialStore credentials) {
        URI base = URI.create(baseUrl);
        return new V2RegistryClient(new RegistryEndpoint("localhost:" + base.getPort(), base), config, credentials);
    }

    static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    static Path script(Path dir, String name, String body) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }

    static PluginContext context(Settings settings, Clock clock) {
        return new PluginContext() {
            @Override
            public Settings settings() {
                return settings;
            }

            @Override
            public DockerEngine docker() {
                throw new UnsupportedOperationException("no engine in registry tests");
            }

            @Override
            public EventSink events() {
                throw new UnsupportedOperationException("no events in registry tests");
            }

            @Override
            public Clock clock() {
                return clock;
            }
        };
    }

    /** A clock tests move by hand. */
    static final class MutableClock extends Clock {
        private final AtomicLong millis = new AtomicLong(Instant.parse("2026-01-01T00:00:00Z").toEpochMilli());

        void advance(Duration d) {
            millis.addAndGet(d.toMillis());
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public long millis() {
            return millis.get();
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis.get());
        }
    }
}
