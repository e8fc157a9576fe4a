package dev.docksmith.runtime.docker.transport;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DockerHostTest {
    @Test
    void defaultsToTheStandardSocket() {
        DockerHost host = DockerHost.fromEnvironment(Map.of());
        assertEquals(Path.of("/var/run/docker.sock"), host.socket());
        assertEquals("unix:///var/run/docker.sock", host.uri());
        assertFalse(host.tls());
        assertEquals(host, DockerHost.fromEnvironment(Map.of("DOCKER_HOST", " ")));
    }

    @Test
    void readsUnixAndTcpHosts() {
        assertEquals(Path.of("/run/user/1000/docker.sock"),
                DockerHost.fromEnvironment(Map.of("DOCKER_HOST", "unix:///run/user/1000/docker.sock")).socket());
        DockerHost tcp = DockerHost.fromEnvironment(Map.of("DOCKER_HOST", "tcp://10.0.0.5:2375"));
        assertEquals("10.0.0.5", tcp.host());
        assertEquals(2375, tcp.port());
        assertNull(tcp.certPath());
        assertEquals("tcp://10.0.0.5:2375", tcp.uri());
        assertEquals(2375, DockerHost.parse("tcp://docker", null).port());
        assertEquals("tcp://[::1]:2375", DockerHost.parse("tcp://[::1]:2375", null).uri());
    }

    @Test
    void tlsWhenVerifyIsSet() {
        DockerHost tls = DockerHost.fromEnvironment(Map.of("DOCKER_HOST", "tcp://docker.example:2376",
                "DOCKER_TLS_VERIFY", "1", "DOCKER_CERT_PATH", "/certs"));
        assertTrue(tls.tls());
        assertEquals(Path.of("/certs"), tls.certPath());
        assertEquals(2376, DockerHost.fromEnvironment(Map.of("DOCKER_HOST", "tcp://docker.example",
                "DOCKER_TLS_VERIFY", "1", "DOCKER_CERT_PATH", "/certs")).port());
        DockerHost home = DockerHost.fromEnvironment(Map.of("DOCKER_HOST", "tcp://d:2376", "DOCKER_TLS_VERIFY", "1"));
        assertEquals(Path.of(System.getProperty("user.home"), ".docker"), home.certPath());
        assertFalse(DockerHost.fromEnvironment(Map.of("DOCKER_HOST", "tcp://d:2375", "DOCKER_TLS_VERIFY", "")).tls());
    }

    @Test
    void invalidHostsNameTheValue() {
        for (String bad : new String[] {"npipe:////./pipe/docker_engine", "http://x:2375", "unix://relative/sock",
                "tcp://", "tcp://host:2375/path", "docker.sock", "tcp://host:99999", "unix://"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> DockerHost.fromEnvironment(Map.of("DOCKER_HOST", bad)), bad);
            assertTrue(e.getMessage().contains(bad), e.getMessage());
        }
    }
}
