package dev.docksmith.runtime;

import com.sun.net.httpserver.HttpServer;
import dev.docksmith.runtime.config.DocksmithConfig;
import dev.docksmith.runtime.config.Setting;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What docs/embedding.md says of a mounted API: it keeps Docksmith's security policy (Host names,
 * Origins, token) from the configuration given, whatever the host server's own address.
 */
class MountedSecurityTest {
    private HttpServer host;

    @BeforeEach
    void hostServer() throws IOException {
        host = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        host.start();
    }

    @AfterEach
    void stopHost() {
        host.stop(0);
    }

    @Test
    void aHostNameMustBeAllowedAndATokenApplies(@TempDir Path dir) throws Exception {
        DocksmithConfig config = TestPlugins.noEngine(dir);
        try (Docksmith docksmith = mounted(config)) {
            assertEquals(200, status("/docksmith/api/health", "127.0.0.1", null));
            assertEquals(403, status("/docksmith/api/health", "ops.example.com", null), "DNS rebinding protection");
            assertEquals(403, status("/docksmith/api/status", "127.0.0.1", "https://evil.example"), "a foreign origin");
        }
        try (Docksmith docksmith = mounted(config.with(Setting.ALLOWED_HOSTS, "ops.example.com").with(Setting.API_TOKEN, "s3cret"))) {
            assertEquals(200, status("/docksmith/api/health", "ops.example.com", null), "health needs no token");
            assertEquals(401, status("/docksmith/api/status", "ops.example.com", null));
            assertEquals(200, status("/docksmith/api/status", "ops.example.com", null, "Authorization: Bearer s3cret"));
            assertEquals(200, status("/docksmith/api/status", "ops.example.com", "http://ops.example.com:" + port(),
                    "Authorization: Bearer s3cret"), "a page served by the host itself is same-origin");
        }
    }

    private Docksmith mounted(DocksmithConfig config) {
        return Docksmith.builder().config(config).discoverPlugins(false).httpServer(host, "/docksmith").build().start();
    }

    private int port() {
        return host.getAddress().getPort();
    }

    /** A raw request, since the JDK's clients do not let a caller choose the Host header. */
    private int status(String path, String hostName, String origin, String... headers) throws IOException {
        StringBuilder request = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: " + hostName + ":" + port() + "\r\n");
        if (origin != null) {
            request.append("Origin: ").append(origin).append("\r\n");
        }
        for (String h : headers) {
            request.append(h).append("\r\n");
        }
        request.append("Connection: close\r\n\r\n");
        try (Socket socket = new Socket("127.0.0.1", port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String statusLine = new String(in.readNBytes(12), StandardCharsets.US_ASCII); // "HTTP/1.1 200"
            return Integer.parseInt(statusLine.substring(9, 12));
        }
    }
}
