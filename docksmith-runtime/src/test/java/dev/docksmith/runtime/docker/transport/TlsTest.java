package dev.docksmith.runtime.docker.transport;

import dev.docksmith.api.DockerException;
import dev.docksmith.runtime.docker.DockerClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLServerSocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Mutual TLS over TCP with the PEM files a docker CLI user has in DOCKER_CERT_PATH. */
@Timeout(30) // a broken timeout must fail the test, not hang the build
class TlsTest {
    private SSLServerSocket server;
    private final List<String> clientNames = new CopyOnWriteArrayList<>();

    static Path tls(String name) {
        try {
            return Path.of(TlsTest.class.getResource("tls/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @BeforeEach
    void startServer() throws IOException {
        server = (SSLServerSocket) TlsContexts.fromCertPath(tls("server")).getServerSocketFactory()
                .createServerSocket(0, 10, InetAddress.getLoopbackAddress());
        server.setNeedClientAuth(true); // as dockerd with --tlsverify
        Thread acceptor = new Thread(this::serve, "fake-tls-engine");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    @AfterEach
    void stopServer() throws IOException {
        server.close();
    }

    /** Answers every request with a /version-like body, keep-alive, until the client hangs up. */
    private void serve() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                Thread t = new Thread(() -> {
                    try (socket) {
                        BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
                        OutputStream out = socket.getOutputStream();
                        clientNames.add(((javax.net.ssl.SSLSocket) socket).getSession().getPeerPrincipal().getName());
                        for (String line = in.readLine(); line != null; line = in.readLine()) {
                            while (!in.readLine().isEmpty()) {
                                // skip headers; the client sends no body on GET
                            }
                            String body = "{\"ApiVersion\":\"1.41\",\"MinAPIVersion\":\"1.12\",\"Version\":\"tls\"}";
                            out.write(("HTTP/1.1 200 OK\r\nApi-Version: 1.41\r\nContent-Type: application/json\r\nContent-Length: "
                                    + body.length() + "\r\n\r\n" + body).getBytes(StandardCharsets.ISO_8859_1));
                            out.flush();
                        }
                    } catch (IOException ignored) {
                        // handshake refused or client gone
                    }
                });
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"client-rsa-pkcs8", "client-rsa-pkcs1", "client-ec-sec1", "client-ec-pkcs8"})
    void talksToATlsEngineWithEveryKeyFormat(String certDir) {
        try (DockerClient client = DockerClient.create(DockerHost.tls("localhost", server.getLocalPort(), tls(certDir)),
                Duration.ofSeconds(5))) {
            assertEquals("tls", client.version().path("Version").asText());
            assertEquals("1.41", client.apiVersion());
            assertTrue(client.endpoint().startsWith("tcp://localhost:"));
        }
        assertTrue(clientNames.get(0).contains(certDir.startsWith("client-rsa") ? "client-rsa" : "client-ec"),
                clientNames.toString());
    }

    @Test
    void fromEnvironmentUsesTheCertPath() {
        DockerHost host = DockerHost.fromEnvironment(java.util.Map.of(
                "DOCKER_HOST", "tcp://localhost:" + server.getLocalPort(),
                "DOCKER_TLS_VERIFY", "1",
                "DOCKER_CERT_PATH", tls("client-rsa-pkcs1").toString()));
        try (DockerClient client = DockerClient.create(host, Duration.ofSeconds(5))) {
            assertEquals("tls", client.version().path("Version").asText());
        }
    }

    @Test
    void anEngineCertificateFromAnotherCaIsRefused() {
        try (DockerClient client = DockerClient.create(DockerHost.tls("localhost", server.getLocalPort(), tls("untrusted")),
                Duration.ofSeconds(5))) {
            DockerException e = assertThrows(DockerException.class, client::version);
            assertEquals(0, e.status());
            assertTrue(e.getMessage().contains("Docker engine unreachable at tcp://localhost:"), e.getMessage());
        }
    }

    @Test
    void theEngineCertificateMustNameTheHost() {
        // 127.0.0.2 is loopback too but not in the certificate's names
        try (DockerClient client = DockerClient.create(DockerHost.tls("127.0.0.2", server.getLocalPort(), tls("client-rsa-pkcs8")),
                Duration.ofSeconds(5))) {
            DockerException e = assertThrows(DockerException.class, client::version);
            assertEquals(0, e.status());
        }
    }

    @Test
    void keyFormatsParseToTheRightAlgorithm() throws Exception {
        assertEquals("RSA", key("client-rsa-pkcs8").getAlgorithm());
        assertEquals("RSA", key("client-rsa-pkcs1").getAlgorithm());
        assertEquals("EC", key("client-ec-sec1").getAlgorithm());
        assertEquals("EC", key("client-ec-pkcs8").getAlgorithm());
        assertEquals(key("client-rsa-pkcs8"), key("client-rsa-pkcs1"));
        assertEquals(key("client-ec-pkcs8").getEncoded().length > 0, true);
        assertThrows(java.security.GeneralSecurityException.class, () -> PemKeys.privateKey("no key here"));
    }

    @Test
    void missingFilesNameThePath(@org.junit.jupiter.api.io.TempDir Path empty) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DockerClient.create(DockerHost.tls("localhost", 2376, empty), Duration.ofSeconds(1)));
        assertTrue(e.getMessage().contains(empty.toString()), e.getMessage());
    }

    private static PrivateKey key(String dir) throws Exception {
        return PemKeys.privateKey(Files.readString(tls(dir).resolve("key.pem")));
    }
}
