package dev.docksmith.runtime.docker.transport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import javax.net.ssl.SSLContext;

/** Opens new connections to one engine. */
interface Connector {
    /** A fresh connection, connected within {@code timeout}. */
    RawConnection connect(Duration timeout) throws IOException;

    /** The value for the HTTP {@code Host} header. */
    String hostHeader();

    /** Where the connections go, for messages. */
    String endpoint();

    /** The connector for a host; TLS material is read once, here, so a bad file fails early. */
    static Connector forHost(DockerHost host) {
        if (host.socket() != null) {
            return new Connector() {
                @Override
                public RawConnection connect(Duration timeout) throws IOException {
                    if (!Files.exists(host.socket())) {
                        // The JDK's message for this case is a bare "No such file or directory".
                        throw new NoSuchFileException(host.socket().toString(), null, "no such socket file");
                    }
                    return UnixChannelConnection.open(host.socket(), timeout);
                }

                @Override
                public String hostHeader() {
                    return "docker"; // any name will do on a unix socket; the CLI sends a placeholder too
                }

                @Override
                public String endpoint() {
                    return host.uri();
                }
            };
        }
        SSLContext tls = host.tls() ? TlsContexts.fromCertPath(host.certPath()) : null;
        return new Connector() {
            @Override
            public RawConnection connect(Duration timeout) throws IOException {
                return SocketConnection.open(host.host(), host.port(), tls, timeout);
            }

            @Override
            public String hostHeader() {
                String h = host.host().contains(":") ? "[" + host.host() + "]" : host.host();
                return h + ":" + host.port();
            }

            @Override
            public String endpoint() {
                return host.uri();
            }
        };
    }
}
