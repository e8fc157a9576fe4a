package dev.docksmith.runtime.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Who may call the API. A browser on another site must not be able to act on the Docker host, so
 * besides the optional bearer token the server refuses foreign {@code Origin}s (cross-site requests)
 * and foreign {@code Host} names (DNS rebinding).
 *
 * @param apiToken       bearer token every route but {@code /api/health} needs; null for none
 * @param bindAddress    the address the server listens on ("127.0.0.1", "0.0.0.0", a host name)
 * @param port           the port the server listens on (for this server's own origin)
 * @param allowedOrigins further origins that may call ("https://dash.example.com"), exact match
 * @param allowedHosts   further names the server may be reached by ("docksmith.lan")
 */
public record SecurityPolicy(String apiToken, String bindAddress, int port,
                             List<String> allowedOrigins, List<String> allowedHosts) {
    private static final Set<String> LOOPBACK = Set.of("localhost", "127.0.0.1", "[::1]");
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    public SecurityPolicy {
        apiToken = apiToken == null || apiToken.isBlank() ? null : apiToken.trim();
        bindAddress = bindAddress == null || bindAddress.isBlank() ? "127.0.0.1" : bindAddress.trim();
        allowedOrigins = allowedOrigins == null ? List.of()
                : allowedOrigins.stream().filter(o -> o != null && !o.isBlank()).map(SecurityPolicy::normalizeOrigin).toList();
        allowedHosts = allowedHosts == null ? List.of()
                : allowedHosts.stream().filter(h -> h != null && !h.isBlank()).map(SecurityPolicy::normalizeHost).toList();
    }

    /** No token, loopback only: the default of a fresh install. */
    public static SecurityPolicy loopback(int port) {
        return new SecurityPolicy(null, "127.0.0.1", port, List.of(), List.of());
    }

    /** The same policy for another port (a server started on port 0 learns its port late). */
    public SecurityPolicy withPort(int newPort) {
        return new SecurityPolicy(apiToken, bindAddress, newPort, allowedOrigins, allowedHosts);
    }

    public boolean tokenRequired() {
        return apiToken != null;
    }

    /** True when {@code authorization} is {@code Bearer <token>}, compared in constant time. */
    public boolean tokenMatches(String authorization) {
        if (apiToken == null) {
            return true;
        }
        if (authorization == null || authorization.length() < 7
                || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        String offered = authorization.substring(7).trim();
        // Hashing first makes the comparison independent of the lengths too.
        return MessageDigest.isEqual(sha256(offered), sha256(apiToken));
    }

    /**
     * True when the {@code Host} header names this server: a loopback name, the bind address, a
     * configured name, or any IP literal (DNS rebinding needs a host name the attacker controls, so
     * an IP literal is never one; allowing it lets a server bound to 0.0.0.0 be reached by its LAN
     * address). A missing header (HTTP/1.0 tools) is allowed: browsers always send one.
     */
    public boolean hostAllowed(String hostHeader) {
        if (hostHeader == null || hostHeader.isBlank()) {
            return true;
        }
        String host = hostName(hostHeader.trim());
        if (host == null) {
            return false;
        }
        return knownHosts().contains(host) || isIpLiteral(host);
    }

    /**
     * True when a request with this {@code Origin} may act: this server's own origin
     * ({@code http://<known host>:<port>}, or the origin whose authority is the request's already
     * checked {@code Host}), or one of {@link #allowedOrigins()}.
     */
    public boolean originAllowed(String origin, String hostHeader) {
        if (origin == null) {
            return true;
        }
        String normalized = normalizeOrigin(origin);
        if (allowedOrigins.contains(normalized)) {
            return true;
        }
        for (String host : knownHosts()) {
            if (normalized.equals("http://" + host + ":" + port)) {
                return true;
            }
        }
        int scheme = normalized.indexOf("://");
        if (scheme < 0 || hostHeader == null || hostHeader.isBlank()) {
            return false;
        }
        String authority = normalized.substring(scheme + 3);
        return authority.equals(hostHeader.trim().toLowerCase(Locale.ROOT)) && hostAllowed(hostHeader);
    }

    /** True when {@code origin} is allowed only because it is listed (a cross-origin caller that needs CORS headers). */
    boolean listedOrigin(String origin) {
        return origin != null && allowedOrigins.contains(normalizeOrigin(origin));
    }

    private Set<String> knownHosts() {
        Set<String> hosts = new LinkedHashSet<>(LOOPBACK);
        String bind = normalizeHost(bindAddress);
        hosts.add(bind.contains(":") && !bind.startsWith("[") ? "[" + bind + "]" : bind);
        hosts.addAll(allowedHosts);
        return hosts;
    }

    /** The host part of a Host header, lower case, without port or trailing dot; null when malformed. */
    static String hostName(String hostHeader) {
        String value = hostHeader.toLowerCase(Locale.ROOT);
        String host;
        if (value.startsWith("[")) {
            int end = value.indexOf(']');
            if (end < 0) {
                return null;
            }
            host = value.substring(0, end + 1);
            String rest = value.substring(end + 1);
            if (!rest.isEmpty() && !rest.matches(":\\d{1,5}")) {
                return null;
            }
        } else {
            int colon = value.indexOf(':');
            if (colon >= 0) {
                if (!value.substring(colon).matches(":\\d{1,5}")) {
                    return null;
                }
                host = value.substring(0, colon);
            } else {
                host = value;
            }
        }
        if (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        return host.isEmpty() ? null : host;
    }

    private static boolean isIpLiteral(String host) {
        return IPV4.matcher(host).matches() || (host.startsWith("[") && host.endsWith("]"));
    }

    private static String normalizeHost(String host) {
        String h = host.trim().toLowerCase(Locale.ROOT);
        return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
    }

    private static String normalizeOrigin(String origin) {
        String o = origin.trim().toLowerCase(Locale.ROOT);
        return o.endsWith("/") ? o.substring(0, o.length() - 1) : o;
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }

    /** Never prints the token. */
    @Override
    public String toString() {
        return "SecurityPolicy[token=" + (apiToken == null ? "none" : "set") + ", bind=" + bindAddress + ", port=" + port
                + ", allowedOrigins=" + allowedOrigins + ", allowedHosts=" + allowedHosts + "]";
    }
}
