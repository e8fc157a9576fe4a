package dev.docksmith.runtime.docker.transport;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Where the Docker engine listens: a unix socket, or a TCP address spoken in plain text or, when
 * {@code certPath} is set, over mutual TLS with {@code ca.pem}, {@code cert.pem} and {@code key.pem}
 * from that directory (the layout the docker CLI uses with {@code DOCKER_CERT_PATH}).
 *
 * @param socket   the unix socket file, or null for TCP
 * @param host     the TCP host, or null for a unix socket
 * @param port     the TCP port, or 0 for a unix socket
 * @param certPath the directory holding the TLS material, or null for plain TCP and unix sockets
 */
public record DockerHost(Path socket, String host, int port, Path certPath) {
    /** Where dockerd listens unless told otherwise. */
    public static final String DEFAULT_URI = "unix:///var/run/docker.sock";
    private static final int PLAIN_PORT = 2375;
    private static final int TLS_PORT = 2376;

    public DockerHost {
        if ((socket == null) == (host == null)) {
            throw new IllegalArgumentException("a Docker host is either a unix socket or a TCP host");
        }
        if (socket != null && certPath != null) {
            throw new IllegalArgumentException("TLS applies to tcp:// hosts only, not " + socket);
        }
        if (host != null && (port < 1 || port > 65535)) {
            throw new IllegalArgumentException("invalid Docker port " + port + " for host " + host);
        }
    }

    /** A unix socket, e.g. {@code /var/run/docker.sock}. */
    public static DockerHost unix(Path socket) {
        return new DockerHost(Objects.requireNonNull(socket, "socket"), null, 0, null);
    }

    /** Plain (unencrypted) TCP. */
    public static DockerHost tcp(String host, int port) {
        return new DockerHost(null, Objects.requireNonNull(host, "host"), port, null);
    }

    /** TCP with mutual TLS, the client key and both certificates read from {@code certPath}. */
    public static DockerHost tls(String host, int port, Path certPath) {
        return new DockerHost(null, Objects.requireNonNull(host, "host"), port,
                Objects.requireNonNull(certPath, "certPath"));
    }

    /** The default unix socket. */
    public static DockerHost defaultHost() {
        return parse(DEFAULT_URI, null);
    }

    /**
     * Parses {@code unix:///path} or {@code tcp://host[:port]}; TLS is used when {@code certPath} is
     * not null. Anything else is an {@link IllegalArgumentException} naming the value.
     */
    public static DockerHost parse(String uri, Path certPath) {
        if (uri == null || uri.isBlank()) {
            throw new IllegalArgumentException("invalid Docker host \"" + uri + "\": empty");
        }
        String value = uri.trim();
        URI parsed;
        try {
            parsed = new URI(value);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("invalid Docker host \"" + uri + "\": " + e.getReason(), e);
        }
        String scheme = parsed.getScheme() == null ? "" : parsed.getScheme().toLowerCase(Locale.ROOT);
        switch (scheme) {
            case "unix":
                // unix:///var/run/docker.sock has an empty authority; unix://relative would hide a host.
                if (parsed.getRawAuthority() != null || parsed.getPath() == null || parsed.getPath().isEmpty()
                        || parsed.getQuery() != null) {
                    throw new IllegalArgumentException(
                            "invalid Docker host \"" + uri + "\": expected unix:///absolute/path/to/socket");
                }
                return unix(Path.of(parsed.getPath()));
            case "tcp":
                if (parsed.getHost() == null || !(parsed.getPath() == null || parsed.getPath().isEmpty()
                        || parsed.getPath().equals("/")) || parsed.getQuery() != null) {
                    throw new IllegalArgumentException(
                            "invalid Docker host \"" + uri + "\": expected tcp://host:port");
                }
                String host = parsed.getHost();
                if (host.startsWith("[") && host.endsWith("]")) {
                    host = host.substring(1, host.length() - 1); // IPv6 literal
                }
                int port = parsed.getPort() > 0 ? parsed.getPort() : certPath == null ? PLAIN_PORT : TLS_PORT;
                if (port > 65535) {
                    throw new IllegalArgumentException("invalid Docker host \"" + uri + "\": port out of range");
                }
                return certPath == null ? tcp(host, port) : tls(host, port, certPath);
            default:
                throw new IllegalArgumentException("invalid Docker host \"" + uri
                        + "\": only unix:// and tcp:// are supported");
        }
    }

    /**
     * Reads the docker CLI's variables: {@code DOCKER_HOST} (default {@value #DEFAULT_URI}),
     * {@code DOCKER_TLS_VERIFY} (any non-empty value turns TLS on, as in the CLI) and
     * {@code DOCKER_CERT_PATH} (default {@code ~/.docker}).
     */
    public static DockerHost fromEnvironment(Map<String, String> env) {
        String uri = env.getOrDefault("DOCKER_HOST", "");
        if (uri.isBlank()) {
            uri = DEFAULT_URI;
        }
        Path certPath = null;
        String verify = env.getOrDefault("DOCKER_TLS_VERIFY", "");
        if (!verify.isEmpty()) {
            String dir = env.getOrDefault("DOCKER_CERT_PATH", "");
            certPath = dir.isBlank() ? Path.of(System.getProperty("user.home"), ".docker") : Path.of(dir);
        }
        if (certPath != null && uri.trim().toLowerCase(Locale.ROOT).startsWith("unix:")) {
            certPath = null; // the CLI ignores TLS settings for a unix socket; so do we
        }
        return parse(uri, certPath);
    }

    /** True for TCP with TLS. */
    public boolean tls() {
        return certPath != null;
    }

    /** The host as a URI, for messages: {@code unix:///var/run/docker.sock} or {@code tcp://host:2376}. */
    public String uri() {
        if (socket != null) {
            return "unix://" + socket.toAbsolutePath();
        }
        String h = host.contains(":") ? "[" + host + "]" : host;
        return "tcp://" + h + ":" + port;
    }

    @Override
    public String toString() {
        return uri() + (tls() ? " (TLS, certificates in " + certPath + ")" : "");
    }
}
