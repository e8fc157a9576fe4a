package dev.docksmith.registry.v2;

import dev.docksmith.spi.Settings;

import java.io.File;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What the registry clients are told by the settings, plus the retry tuning tests shorten.
 *
 * @param timeout            timeout of each request ({@code DOCKSMITH_REGISTRY_TIMEOUT}, default 10 s)
 * @param concurrency        requests in flight per registry ({@code DOCKSMITH_REGISTRY_CONCURRENCY}, default 32)
 * @param insecureRegistries registries spoken to over plain http besides loopback ones ({@code DOCKSMITH_INSECURE_REGISTRIES})
 * @param dockerConfigDir    where {@code config.json} lives ({@code DOCKER_CONFIG}, default {@code ~/.docker})
 * @param helperPath         where {@code docker-credential-*} are looked for ({@code DOCKSMITH_CREDENTIAL_HELPER_PATH}, else {@code PATH})
 * @param attempts           tries per request for 5xx, 429 and network failures
 * @param backoff            first pause between tries; doubled each time
 * @param retryAfterCap      the longest {@code Retry-After} honoured; a longer one fails at once
 * @param unreachableFor     after a registry proved unreachable, how long further requests fail fast
 * @param clock              token expiry and {@code Retry-After} dates
 * @param settings           the settings this came from, for plugins that read more of them
 */
public record RegistryConfig(Duration timeout, int concurrency, Set<String> insecureRegistries, Path dockerConfigDir,
                             List<Path> helperPath, int attempts, Duration backoff, Duration retryAfterCap,
                             Duration unreachableFor, Clock clock, Settings settings) {
    public static final String TIMEOUT = "DOCKSMITH_REGISTRY_TIMEOUT";
    public static final String CONCURRENCY = "DOCKSMITH_REGISTRY_CONCURRENCY";
    public static final String INSECURE_REGISTRIES = "DOCKSMITH_INSECURE_REGISTRIES";
    public static final String DOCKER_CONFIG = "DOCKER_CONFIG";
    public static final String CREDENTIAL_HELPER_PATH = "DOCKSMITH_CREDENTIAL_HELPER_PATH";
    /**
     * HTTP/1.1 carries one request per connection at a time, so this is also how many connections to
     * a registry are kept, and each request in flight holds one of the caller's threads. Measured with
     * bench/check.sh, 100 containers on 100 repositories (140 requests a check), 25 ms round trip:
     * steady check 305 ms with 16, 200 ms with 32, 228 ms with 64; peak resident memory 80, 83, 87 MiB.
     */
    public static final int DEFAULT_CONCURRENCY = 32;

    /** No settings at all. */
    public static final Settings NO_SETTINGS = name -> Optional.empty();

    public RegistryConfig {
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(settings, "settings");
        if (timeout.isZero() || timeout.isNegative()) {
            throw new IllegalArgumentException(TIMEOUT + ": must be more than 0");
        }
        if (concurrency < 1) {
            throw new IllegalArgumentException(CONCURRENCY + ": must be 1 or more, not " + concurrency);
        }
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts must be 1 or more");
        }
        insecureRegistries = Set.copyOf(insecureRegistries);
        helperPath = List.copyOf(helperPath);
    }

    /** The documented defaults, as if nothing were set. */
    public static RegistryConfig defaults() {
        return from(NO_SETTINGS, Clock.systemUTC());
    }

    /** From plain name/value pairs (tests, embedding). */
    public static RegistryConfig of(Map<String, String> values) {
        return from(name -> Optional.ofNullable(values.get(name)), Clock.systemUTC());
    }

    /**
     * Reads the settings.
     *
     * @throws IllegalArgumentException naming the setting whose value cannot be used
     */
    public static RegistryConfig from(Settings settings, Clock clock) {
        Duration timeout = text(settings, TIMEOUT).map(v -> parse(TIMEOUT, v)).orElse(Duration.ofSeconds(10));
        int concurrency = text(settings, CONCURRENCY).map(RegistryConfig::concurrency).orElse(DEFAULT_CONCURRENCY);
        Set<String> insecure = Set.copyOf(split(text(settings, INSECURE_REGISTRIES).orElse(""), ",").stream()
                .map(RegistryConfig::bareHost).toList());
        Path dockerConfig = text(settings, DOCKER_CONFIG).map(RegistryConfig::expandHome)
                .orElse(Path.of(System.getProperty("user.home"), ".docker"));
        String searchPath = text(settings, CREDENTIAL_HELPER_PATH).orElseGet(() -> Optional.ofNullable(System.getenv("PATH")).orElse(""));
        List<Path> helperPath = split(searchPath, File.pathSeparator).stream().map(Path::of).toList();
        return new RegistryConfig(timeout, concurrency, insecure, dockerConfig, helperPath, 3, Duration.ofMillis(100),
                Duration.ofSeconds(60), Duration.ofSeconds(10), clock, settings);
    }

    /** True when the registry is spoken to over plain http: loopback, or listed as insecure. */
    public boolean insecure(String registry) {
        String r = bareHost(registry);
        String host = hostOf(r);
        return host.equals("localhost") || host.startsWith("127.") || host.equals("::1") || host.equals("[::1]")
                || insecureRegistries.contains(r) || insecureRegistries.contains(host);
    }

    public RegistryConfig withTimeout(Duration value) {
        return new RegistryConfig(value, concurrency, insecureRegistries, dockerConfigDir, helperPath, attempts, backoff,
                retryAfterCap, unreachableFor, clock, settings);
    }

    public RegistryConfig withConcurrency(int value) {
        return new RegistryConfig(timeout, value, insecureRegistries, dockerConfigDir, helperPath, attempts, backoff,
                retryAfterCap, unreachableFor, clock, settings);
    }

    public RegistryConfig withDockerConfigDir(Path value) {
        return new RegistryConfig(timeout, concurrency, insecureRegistries, value, helperPath, attempts, backoff,
                retryAfterCap, unreachableFor, clock, settings);
    }

    public RegistryConfig withHelperPath(List<Path> value) {
        return new RegistryConfig(timeout, concurrency, insecureRegistries, dockerConfigDir, value, attempts, backoff,
                retryAfterCap, unreachableFor, clock, settings);
    }

    /** Retry tuning: tries per request, first pause, longest {@code Retry-After} honoured. */
    public RegistryConfig withRetries(int tries, Duration firstPause, Duration longestRetryAfter) {
        return new RegistryConfig(timeout, concurrency, insecureRegistries, dockerConfigDir, helperPath, tries, firstPause,
                longestRetryAfter, unreachableFor, clock, settings);
    }

    public RegistryConfig withUnreachableFor(Duration value) {
        return new RegistryConfig(timeout, concurrency, insecureRegistries, dockerConfigDir, helperPath, attempts, backoff,
                retryAfterCap, value, clock, settings);
    }

    public RegistryConfig withClock(Clock value) {
        return new RegistryConfig(timeout, concurrency, insecureRegistries, dockerConfigDir, helperPath, attempts, backoff,
                retryAfterCap, unreachableFor, value, settings);
    }

    /** {@code host:port} of a registry name, lower case, without scheme or path. */
    static String bareHost(String registry) {
        String r = registry.trim().toLowerCase(Locale.ROOT);
        int scheme = r.indexOf("://");
        if (scheme >= 0) {
            r = r.substring(scheme + 3);
        }
        int slash = r.indexOf('/');
        return slash >= 0 ? r.substring(0, slash) : r;
    }

    /** The host of {@code host:port} (IPv6 literals in brackets keep them). */
    static String hostOf(String hostPort) {
        if (hostPort.startsWith("[")) {
            int end = hostPort.indexOf(']');
            return end > 0 ? hostPort.substring(0, end + 1) : hostPort;
        }
        int colon = hostPort.indexOf(':');
        return colon >= 0 && hostPort.indexOf(':', colon + 1) < 0 ? hostPort.substring(0, colon) : hostPort;
    }

    private static Optional<String> text(Settings settings, String name) {
        return settings.text(name).map(String::trim).filter(v -> !v.isEmpty());
    }

    private static Duration parse(String name, String value) {
        try {
            Duration d = dev.docksmith.spi.Durations.parse(value);
            if (d.isZero()) {
                throw new IllegalArgumentException("'" + value + "' must be more than 0");
            }
            return d;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
        }
    }

    private static int concurrency(String value) {
        try {
            int n = Integer.parseInt(value);
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(CONCURRENCY + ": '" + value + "' is not a number of 1 or more");
    }

    private static Path expandHome(String value) {
        if (value.equals("~") || value.startsWith("~/")) {
            return Path.of(System.getProperty("user.home") + value.substring(1));
        }
        return Path.of(value);
    }

    private static List<String> split(String text, String separator) {
        List<String> out = new ArrayList<>();
        for (String part : text.split(Pattern.quote(separator))) {
            if (!part.isBlank()) {
                out.add(part.trim());
            }
        }
        return out;
    }
}
