package dev.docksmith.registry.v2;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Credentials the way the Docker CLI keeps them in {@code $DOCKER_CONFIG/config.json}: a helper named
 * in {@code credHelpers} for the registry, else the {@code credsStore} helper, else the {@code auths}
 * entry ({@code auth} as base64 {@code user:password}, or {@code username}/{@code password}, or
 * {@code identitytoken}). Keys may carry a scheme and a path; Docker Hub is
 * {@code https://index.docker.io/v1/}. The file is read on each lookup, which callers cache.
 */
public final class DockerConfig implements CredentialStore {
    /** The key and helper server URL Docker uses for Docker Hub. */
    public static final String DOCKER_HUB_KEY = "https://index.docker.io/v1/";
    private static final System.Logger LOG = System.getLogger(DockerConfig.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final List<Path> helperPath;
    private final Duration helperTimeout;

    public DockerConfig(Path configDir, List<Path> helperPath, Duration helperTimeout) {
        this.file = configDir.resolve("config.json");
        this.helperPath = List.copyOf(helperPath);
        this.helperTimeout = helperTimeout;
    }

    public static DockerConfig from(RegistryConfig config) {
        return new DockerConfig(config.dockerConfigDir(), config.helperPath(), config.timeout());
    }

    @Override
    public Optional<Credentials> find(String registry) {
        String key = normalise(registry);
        Parsed parsed = read();
        String helper = parsed.credHelpers.get(key);
        boolean dedicated = helper != null;
        if (helper == null) {
            helper = parsed.credsStore;
        }
        if (helper != null) {
            try {
                Optional<Credentials> found = CredentialHelper.get(helper, serverUrl(key), helperPath, helperTimeout);
                if (found.isPresent() || dedicated) {
                    return found; // a helper named for this registry that knows nothing means anonymous
                }
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "credential helper docker-credential-" + helper + " for " + registry
                        + " failed, using " + file + " instead: " + e.getMessage());
            }
        }
        return Optional.ofNullable(parsed.auths.get(key));
    }

    @Override
    public String describe() {
        return file.toString();
    }

    /** The server URL a credential helper files a registry under. */
    static String serverUrl(String normalisedRegistry) {
        return normalisedRegistry.equals("docker.io") ? DOCKER_HUB_KEY : normalisedRegistry;
    }

    /** {@code https://index.docker.io/v1/}, {@code index.docker.io}, {@code docker.io} are one key; schemes and paths go. */
    static String normalise(String key) {
        String host = RegistryConfig.bareHost(key);
        return switch (host) {
            case "index.docker.io", "registry-1.docker.io", "registry.hub.docker.com", "docker.io" -> "docker.io";
            default -> host;
        };
    }

    private Parsed read() {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return Parsed.EMPTY;
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot read " + file + ": " + e.getMessage());
            return Parsed.EMPTY;
        }
        try {
            return parse(JSON.readTree(bytes));
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, file + " is not valid JSON, so no registry credentials are used from it: "
                    + e.getMessage());
            return Parsed.EMPTY;
        }
    }

    static Parsed parse(JsonNode root) {
        Map<String, Credentials> auths = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.path("auths").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            Credentials c = entry(e.getValue());
            if (c != null) {
                auths.putIfAbsent(normalise(e.getKey()), c);
            }
        }
        Map<String, String> helpers = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.path("credHelpers").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getValue().isTextual() && !e.getValue().asText().isBlank()) {
                helpers.put(normalise(e.getKey()), e.getValue().asText().trim());
            }
        }
        String store = root.path("credsStore").asText("").trim();
        return new Parsed(auths, helpers, store.isEmpty() ? null : store);
    }

    private static Credentials entry(JsonNode node) {
        String identity = node.path("identitytoken").asText("");
        if (!identity.isEmpty()) {
            return Credentials.identityToken(identity);
        }
        String auth = node.path("auth").asText("");
        if (!auth.isEmpty()) {
            String pair;
            try {
                pair = new String(Base64.getMimeDecoder().decode(auth), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return null;
            }
            int colon = pair.indexOf(':');
            if (colon > 0) {
                return Credentials.basic(pair.substring(0, colon), pair.substring(colon + 1));
            }
            return null;
        }
        String user = node.path("username").asText("");
        if (!user.isEmpty()) {
            return Credentials.basic(user, node.path("password").asText(""));
        }
        return null;
    }

    record Parsed(Map<String, Credentials> auths, Map<String, String> credHelpers, String credsStore) {
        static final Parsed EMPTY = new Parsed(Map.of(), Map.of(), null);
    }
}
