package dev.docksmith.tck;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small OCI Distribution v2 registry inside the test's JVM, on a free loopback port, so that
 * {@link RegistryContract} needs no network. It serves:
 * <ul>
 *   <li>{@code GET /v2/<name>/tags/list} in pages of at most {@code pageSize}, linked with
 *       {@code Link: <...>; rel="next"}, in the order the tags were given (which the contract makes
 *       neither alphabetical nor by version, so a plugin that sorts is seen doing so);</li>
 *   <li>{@code HEAD} and {@code GET /v2/<name>/manifests/<tag or digest>} with
 *       {@code Docker-Content-Digest}; a client that does not {@code Accept} a manifest's media type
 *       gets what a registry converts it to, with another digest, as real registries do;</li>
 *   <li>{@code 404} with {@code NAME_UNKNOWN} or {@code MANIFEST_UNKNOWN} for what it does not have;</li>
 *   <li>optionally, anonymous bearer tokens as Docker Hub and GHCR hand out: every {@code /v2/} request
 *       first gets a {@code 401} challenge naming {@code /token}, and a token holds only the scopes it
 *       was asked for.</li>
 * </ul>
 * Every request is logged as {@code "METHOD /path?query"} (see {@link #requests()}).
 */
public final class FakeRegistry implements AutoCloseable {
    /** An OCI image index (a multi-platform image). */
    public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    /** An OCI image manifest (one platform). */
    public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    /** A Docker manifest list (a multi-platform image). */
    public static final String DOCKER_MANIFEST_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
    /** A Docker image manifest v2 (one platform). */
    public static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    /** What a manifest is served as to a client that does not accept its type; its digest is not the one docker pull records. */
    public static final String CONVERTED = "application/vnd.docker.distribution.manifest.v1+prettyjws";

    private static final Pattern TAGS = Pattern.compile("/v2/(.+)/tags/list");
    private static final Pattern MANIFEST = Pattern.compile("/v2/(.+)/manifests/([^/]+)");
    private static final String SERVICE = "tck-registry";

    /**
     * One tag of a repository.
     *
     * @param digest the manifest digest served as {@code Docker-Content-Digest} to a client that accepts {@code mediaType}
     */
    public record Tag(String name, String mediaType, String digest) {
        /** A tag whose digest is derived from the repository, name and media type, so every tag has its own. */
        public static Tag of(String repository, String name, String mediaType) {
            return new Tag(name, mediaType, sha256(repository + ":" + name + ":" + mediaType));
        }
    }

    private final Map<String, List<Tag>> repositories;
    private final int pageSize;
    private final boolean tokens;
    private final HttpServer server;
    private final ExecutorService executor;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    /** Token to the scopes it was issued for. */
    private final Map<String, Set<String>> issued = new ConcurrentHashMap<>();
    private final AtomicInteger tokenCount = new AtomicInteger();

    private FakeRegistry(Map<String, List<Tag>> repositories, int pageSize, boolean anonymousTokens) throws IOException {
        this.repositories = new LinkedHashMap<>(repositories);
        this.repositories.replaceAll((name, tags) -> List.copyOf(tags));
        this.pageSize = pageSize;
        this.tokens = anonymousTokens;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        // Enough threads that the contract's concurrent calls really run at once here too.
        this.executor = Executors.newFixedThreadPool(32, r -> {
            Thread t = new Thread(r, "tck-fake-registry");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /**
     * Starts a registry on a free loopback port.
     *
     * @param repositories    repository name ({@code tck/app}) to its tags, in the registry's order
     * @param pageSize        most tags per page, whatever {@code n} the client asks for
     * @param anonymousTokens whether requests must carry a bearer token from {@code /token}
     */
    public static FakeRegistry start(Map<String, List<Tag>> repositories, int pageSize, boolean anonymousTokens) {
        if (pageSize < 1) {
            throw new IllegalArgumentException("pageSize must be 1 or more");
        }
        try {
            return new FakeRegistry(repositories, pageSize, anonymousTokens);
        } catch (IOException e) {
            throw new UncheckedIOException("starting the fake registry", e);
        }
    }

    /** {@code http://127.0.0.1:<port>}, where a plugin sends its requests. */
    public URI baseUri() {
        return URI.create("http://" + authority());
    }

    /** {@code 127.0.0.1:<port>}: the registry name for a plugin that serves any registry. */
    public String authority() {
        InetSocketAddress a = server.getAddress();
        return a.getAddress().getHostAddress() + ":" + a.getPort();
    }

    /** Every request so far, oldest first, as {@code "HEAD /v2/tck/app/manifests/latest"}. */
    public List<String> requests() {
        return List.copyOf(requests);
    }

    /** The tags of a repository as served, or empty when it is unknown. */
    public Optional<List<Tag>> tags(String repository) {
        return Optional.ofNullable(repositories.get(repository));
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            URI uri = exchange.getRequestURI();
            String path = uri.getRawPath();
            requests.add(exchange.getRequestMethod() + " " + path + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()));
            if (path.equals("/token")) {
                token(exchange);
                return;
            }
            if (!path.startsWith("/v2")) {
                error(exchange, 404, "NOT_FOUND", "no such endpoint");
                return;
            }
            Matcher tags = TAGS.matcher(path);
            Matcher manifest = MANIFEST.matcher(path);
            String repository = tags.matches() ? tags.group(1) : manifest.matches() ? manifest.group(1) : null;
            if (tokens && !authorized(exchange, repository)) {
                String scope = repository == null ? "" : ",scope=\"repository:" + repository + ":pull\"";
                exchange.getResponseHeaders().set("WWW-Authenticate",
                        "Bearer realm=\"" + baseUri() + "/token\",service=\"" + SERVICE + "\"" + scope);
                error(exchange, 401, "UNAUTHORIZED", "authentication required");
            } else if (path.equals("/v2/") || path.equals("/v2")) {
                json(exchange, 200, "{}");
            } else if (tags.matches() && exchange.getRequestMethod().equals("GET")) {
                tagList(exchange, repository, query(uri));
            } else if (manifest.matches()) {
                manifest(exchange, repository, manifest.group(2));
            } else {
                error(exchange, 404, "NOT_FOUND", "no such endpoint");
            }
        }
    }

    private void tagList(HttpExchange exchange, String repository, Map<String, String> query) throws IOException {
        List<Tag> all = repositories.get(repository);
        if (all == null) {
            error(exchange, 404, "NAME_UNKNOWN", "repository name not known to registry");
            return;
        }
        int n = pageSize;
        try {
            n = Math.max(1, Math.min(pageSize, Integer.parseInt(query.getOrDefault("n", String.valueOf(pageSize)))));
        } catch (NumberFormatException e) {
            // a bad n gets the default page, as distribution does
        }
        int from = 0;
        String last = query.get("last");
        if (last != null) {
            from = indexOf(all, last) + 1;
        }
        int to = Math.min(all.size(), from + n);
        List<String> page = new ArrayList<>();
        for (Tag t : all.subList(Math.min(from, to), to)) {
            page.add(quote(t.name()));
        }
        if (to < all.size()) {
            exchange.getResponseHeaders().set("Link", "</v2/" + repository + "/tags/list?n=" + n + "&last="
                    + URLEncoder.encode(all.get(to - 1).name(), StandardCharsets.UTF_8) + ">; rel=\"next\"");
        }
        json(exchange, 200, "{\"name\":" + quote(repository) + ",\"tags\":[" + String.join(",", page) + "]}");
    }

    private void manifest(HttpExchange exchange, String repository, String reference) throws IOException {
        String method = exchange.getRequestMethod();
        if (!method.equals("HEAD") && !method.equals("GET")) {
            error(exchange, 405, "UNSUPPORTED", "method not allowed");
            return;
        }
        List<Tag> all = repositories.get(repository);
        if (all == null) {
            error(exchange, 404, "NAME_UNKNOWN", "repository name not known to registry");
            return;
        }
        Tag tag = all.stream().filter(t -> t.name().equals(reference) || t.digest().equals(reference)).findFirst().orElse(null);
        if (tag == null) {
            error(exchange, 404, "MANIFEST_UNKNOWN", "manifest unknown");
            return;
        }
        boolean accepted = accepted(exchange).contains(tag.mediaType());
        String type = accepted ? tag.mediaType() : CONVERTED;
        String digest = accepted ? tag.digest() : sha256("converted:" + tag.digest());
        byte[] body = ("{\"schemaVersion\":2,\"mediaType\":" + quote(type) + "}").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.getResponseHeaders().set("Docker-Content-Digest", digest);
        exchange.getResponseHeaders().set("ETag", "\"" + digest + "\"");
        if (method.equals("HEAD")) {
            exchange.sendResponseHeaders(200, -1);
        } else {
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        }
    }

    /** Anonymous token for whatever scopes are asked, as Docker Hub's and GHCR's token services give for public images. */
    private void token(HttpExchange exchange) throws IOException {
        Set<String> scopes = ConcurrentHashMap.newKeySet();
        String query = exchange.getRequestURI().getRawQuery();
        if (query != null) {
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0 && pair.substring(0, eq).equals("scope")) {
                    scopes.add(URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        String token = "tck-token-" + tokenCount.incrementAndGet();
        issued.put(token, scopes);
        json(exchange, 200, "{\"token\":" + quote(token) + ",\"expires_in\":300}");
    }

    /** A known token that holds the repository's pull scope (any known token for {@code /v2/} itself). */
    private boolean authorized(HttpExchange exchange, String repository) {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        if (header == null || !header.startsWith("Bearer ")) {
            return false;
        }
        Set<String> scopes = issued.get(header.substring("Bearer ".length()).trim());
        return scopes != null && (repository == null || scopes.contains("repository:" + repository + ":pull"));
    }

    /** Media types in every {@code Accept} header, without parameters such as {@code q=}. */
    private static List<String> accepted(HttpExchange exchange) {
        List<String> types = new ArrayList<>();
        for (String header : exchange.getRequestHeaders().getOrDefault("Accept", List.of())) {
            for (String part : header.split(",")) {
                int semi = part.indexOf(';');
                types.add((semi >= 0 ? part.substring(0, semi) : part).trim());
            }
        }
        return types;
    }

    private static int indexOf(List<Tag> tags, String name) {
        for (int i = 0; i < tags.size(); i++) {
            if (tags.get(i).name().equals(name)) {
                return i;
            }
        }
        return tags.size(); // an unknown last tag: nothing follows it
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> params = new LinkedHashMap<>();
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    params.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return params;
    }

    private static void error(HttpExchange exchange, int status, String code, String message) throws IOException {
        json(exchange, status, "{\"errors\":[{\"code\":" + quote(code) + ",\"message\":" + quote(message) + "}]}");
    }

    private static void json(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        if (exchange.getRequestMethod().equals("HEAD")) {
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }

    static String sha256(String text) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return "sha256:" + HexFormat.of().formatHex(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
    }
}
