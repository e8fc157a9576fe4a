package dev.docksmith.api;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ImageRefTest {

    @ParameterizedTest
    @CsvSource({
            "nginx, docker.io/library/nginx:latest, nginx:latest",
            "nginx:1.25.3-alpine, docker.io/library/nginx:1.25.3-alpine, nginx:1.25.3-alpine",
            "linuxserver/plex:1.40, docker.io/linuxserver/plex:1.40, linuxserver/plex:1.40",
            "docker.io/library/redis:7, docker.io/library/redis:7, redis:7",
            "index.docker.io/library/redis:7, docker.io/library/redis:7, redis:7",
            "ghcr.io/linuxserver/plex, ghcr.io/linuxserver/plex:latest, ghcr.io/linuxserver/plex:latest",
            "localhost:5000/docksmith/demo:1.0.0, localhost:5000/docksmith/demo:1.0.0, localhost:5000/docksmith/demo:1.0.0",
            "localhost/app:2, localhost/app:2, localhost/app:2",
            "registry.example.com:8443/a/b/c:v1.2, registry.example.com:8443/a/b/c:v1.2, registry.example.com:8443/a/b/c:v1.2",
    })
    void normalisesLikeDocker(String input, String full, String familiar) {
        ImageRef ref = ImageRef.parse(input);
        assertEquals(full, ref.toString());
        assertEquals(familiar, ref.familiar());
    }

    @ParameterizedTest
    @CsvSource({
            "nginx, docker.io/library/nginx",
            "ghcr.io/x/y:1, ghcr.io/x/y",
            "localhost:5000/a/b@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef, localhost:5000/a/b",
    })
    void repositoryNameIsRegistryAndPath(String input, String repository) {
        assertEquals(repository, ImageRef.parse(input).repositoryName());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "Nginx", "nginx:", "nginx:bad/tag", "a//b", "nginx@sha256:short", "../etc/passwd"})
    void rejectsWhatIsNotAReference(String input) {
        assertThrows(BadRequestException.class, () -> ImageRef.parse(input));
    }

    @org.junit.jupiter.api.Test
    void withTagDropsTheDigest() {
        ImageRef pinned = ImageRef.parse("nginx:1.25@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
        assertEquals("docker.io/library/nginx:1.26", pinned.withTag("1.26").toString());
    }
}
