package dev.docksmith.runtime.config;

import dev.docksmith.spi.Durations;
import dev.docksmith.spi.Settings;
import dev.docksmith.spi.YesNo;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Docksmith's validated configuration. Built from the merged raw values by {@link #from(Map)}, which
 * rejects any value it cannot use with a message naming the setting.
 */
public record DocksmithConfig(String dockerHost, boolean dockerTlsVerify, Path dockerCertPath, Duration dockerTimeout,
                              int port, String bind, String apiToken, List<String> allowedOrigins,
                              List<String> allowedHosts, Path dataDir, Path scriptsDir, Path pluginsDir,
                              Duration checkInterval, Duration cacheTtl, Path dockerConfig, Map<String, String> raw)
        implements Settings {

    /** The default scripts directory's name inside the data directory. */
    public static final String SCRIPTS_IN_DATA = "scripts";

    public DocksmithConfig {
        raw = Map.copyOf(raw);
        allowedOrigins = List.copyOf(allowedOrigins);
        allowedHosts = List.copyOf(allowedHosts);
    }

    /** Defaults only, as if nothing were set. */
    public static DocksmithConfig defaults() {
        return from(Map.of());
    }

    /** Validates raw values keyed by environment name; defaults fill what is missing. */
    public static DocksmithConfig from(Map<String, String> values) {
        var raw = new HashMap<String, String>();
        for (Setting s : Setting.ALL) {
            String v = values.get(s.env());
            if (v != null && !v.isBlank()) {
                raw.put(s.env(), v.trim());
            } else if (s.defaultValue() != null) {
                raw.put(s.env(), s.defaultValue());
            }
        }
        // Settings only plugins read are still checked here, so a bad value stops start-up with its name.
        duration(raw, Setting.SCRIPT_TIMEOUT, false);
        duration(raw, Setting.REGISTRY_TIMEOUT, false);
        positive(raw, Setting.REGISTRY_CONCURRENCY);
        duration(raw, Setting.HEALTH_TIMEOUT, false);
        duration(raw, Setting.HEALTH_GRACE, true);
        requestTimeout(raw);
        positive(raw, Setting.MAX_CONNECTIONS);
        String dockerHost = raw.get(Setting.DOCKER_HOST.env());
        if (!dockerHost.startsWith("unix://") && !dockerHost.startsWith("tcp://")) {
            throw new ConfigException(Setting.DOCKER_HOST.env() + ": '" + dockerHost + "' must start with unix:// or tcp://");
        }
        refuseOpenBind(raw);
        return new DocksmithConfig(
                dockerHost,
                YesNo.truthy(raw.get(Setting.DOCKER_TLS_VERIFY.env())),
                optionalPath(raw, Setting.DOCKER_CERT_PATH),
                duration(raw, Setting.DOCKER_TIMEOUT, false),
                port(raw),
                bind(raw),
                raw.get(Setting.API_TOKEN.env()),
                list(raw, Setting.ALLOWED_ORIGINS),
                list(raw, Setting.ALLOWED_HOSTS),
                path(raw, Setting.DATA),
                scriptsDir(raw),
                path(raw, Setting.PLUGINS_DIR),
                duration(raw, Setting.CHECK_INTERVAL, true),
                duration(raw, Setting.CACHE_TTL, true),
                optionalPath(raw, Setting.DOCKER_CONFIG),
                raw);
    }

    @Override
    public Optional<String> text(String name) {
        if (name.equals(Setting.SCRIPTS_DIR.env())) {
            return Optional.of(scriptsDir.toString()); // its default is derived, so plugins see the one in use
        }
        return Optional.ofNullable(raw.get(name));
    }

    /**
     * The scripts directory; by default {@code scripts} in the data directory (so {@link #with} a new data
     * directory moves it too). Not the working directory's {@code scripts}: run from a checkout, that was the
     * project's own (start.sh, test.sh), listed as pre-update checks and assignable to a container.
     */
    private static Path scriptsDir(Map<String, String> raw) {
        return raw.containsKey(Setting.SCRIPTS_DIR.env()) ? path(raw, Setting.SCRIPTS_DIR)
                : path(raw, Setting.DATA).resolve(SCRIPTS_IN_DATA);
    }

    /** How long an updated container with a healthcheck has to become healthy. */
    public Duration healthTimeout() {
        return duration(raw, Setting.HEALTH_TIMEOUT, false);
    }

    /** How many requests to one registry are in flight at once. */
    public int registryConcurrency() {
        return positive(raw, Setting.REGISTRY_CONCURRENCY);
    }

    /** How long an updated container without a healthcheck must keep running. */
    public Duration healthGrace() {
        return duration(raw, Setting.HEALTH_GRACE, true);
    }

    /** How long a client has to send a whole request to the HTTP API. */
    public Duration requestTimeout() {
        return requestTimeout(raw);
    }

    /** How many requests the HTTP API reads or answers at once. */
    public int maxConnections() {
        return positive(raw, Setting.MAX_CONNECTIONS);
    }

    /**
     * Every component as a record prints them, but the API token and every secret setting in {@code raw}
     * ({@code GITHUB_TOKEN}) masked: configurations end up in log lines, exception messages and debuggers.
     */
    @Override
    public String toString() {
        var printable = new TreeMap<String, String>();
        raw.forEach((k, v) -> printable.put(k, Setting.printable(k, v)));
        return "DocksmithConfig[dockerHost=" + dockerHost + ", dockerTlsVerify=" + dockerTlsVerify + ", dockerCertPath=" + dockerCertPath
                + ", dockerTimeout=" + dockerTimeout + ", port=" + port + ", bind=" + bind
                + ", apiToken=" + Setting.printable(Setting.API_TOKEN.env(), apiToken) + ", allowedOrigins=" + allowedOrigins
                + ", allowedHosts=" + allowedHosts + ", dataDir=" + dataDir + ", scriptsDir=" + scriptsDir + ", pluginsDir=" + pluginsDir
                + ", checkInterval=" + checkInterval + ", cacheTtl=" + cacheTtl + ", dockerConfig=" + dockerConfig + ", raw=" + printable + "]";
    }

    /** This configuration with one value replaced (validated again). */
    public DocksmithConfig with(Setting setting, String value) {
        var copy = new HashMap<>(raw);
        copy.put(setting.env(), value);
        return from(copy);
    }

    /** True when {@code DOCKSMITH_ALLOW_NO_AUTH} says a non-loopback bind address may be served without a token. */
    public boolean allowNoAuth() {
        return flagValue(raw, Setting.ALLOW_NO_AUTH);
    }

    /** True when the bind address is a loopback one, which only this host's users can reach. */
    public boolean loopbackBind() {
        return loopback(bind);
    }

    /**
     * Anyone who reaches the API controls the Docker host (root on it, in effect), so an address other
     * hosts can reach needs a token, or an explicit word that something else guards it. Checked with
     * the other settings, so start-up stops (exit code 2) before anything is created.
     */
    private static void refuseOpenBind(Map<String, String> raw) {
        String bind = bind(raw);
        if (raw.get(Setting.API_TOKEN.env()) == null && !flagValue(raw, Setting.ALLOW_NO_AUTH) && !loopback(bind)) {
            throw new ConfigException(Setting.BIND.env() + ": '" + bind + "' is reachable from other hosts and "
                    + Setting.API_TOKEN.env() + " is not set, so anyone reaching the port would control the Docker host."
                    + " Set " + Setting.API_TOKEN.env() + " (" + Setting.API_TOKEN.flag() + "), or bind to 127.0.0.1, or, when a"
                    + " proxy of your own authenticates every request, set " + Setting.ALLOW_NO_AUTH.env() + "=true ("
                    + Setting.ALLOW_NO_AUTH.flag() + ")");
        }
    }

    private static boolean loopback(String bind) {
        try {
            return InetAddress.getByName(bind).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** {@code true}/{@code yes}/{@code 1} or {@code false}/{@code no}/{@code 0}; anything else stops start-up. */
    private static boolean flagValue(Map<String, String> raw, Setting s) {
        String v = raw.get(s.env());
        if (v == null) {
            return false;
        }
        String t = v.trim().toLowerCase(Locale.ROOT);
        if (t.equals("false") || t.equals("no") || t.equals("0")) {
            return false;
        }
        if (!YesNo.truthy(t)) {
            throw new ConfigException(s.env() + ": '" + v + "' is not true or false");
        }
        return true;
    }

    private static int port(Map<String, String> raw) {
        String v = raw.get(Setting.PORT.env());
        try {
            int port = Integer.parseInt(v);
            if (port >= 0 && port <= 65535) {
                return port; // 0 asks the OS for a free port, which tests and embedders use
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new ConfigException(Setting.PORT.env() + ": '" + v + "' is not a port number (0-65535)");
    }

    /** The JDK server counts this in whole seconds, so less than one second cannot be honoured. */
    private static Duration requestTimeout(Map<String, String> raw) {
        Duration d = duration(raw, Setting.REQUEST_TIMEOUT, false);
        if (d.toSeconds() < 1) {
            throw new ConfigException(Setting.REQUEST_TIMEOUT.env() + ": '" + raw.get(Setting.REQUEST_TIMEOUT.env())
                    + "' is under one second; the server counts whole seconds");
        }
        return d;
    }

    private static int positive(Map<String, String> raw, Setting s) {
        String v = raw.get(s.env());
        try {
            int n = Integer.parseInt(v);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new ConfigException(s.env() + ": '" + v + "' is not a whole number greater than 0");
    }

    private static String bind(Map<String, String> raw) {
        String v = raw.get(Setting.BIND.env());
        try {
            InetAddress.getByName(v);
            return v;
        } catch (UnknownHostException e) {
            throw new ConfigException(Setting.BIND.env() + ": '" + v + "' is not an address of this host");
        }
    }

    private static Duration duration(Map<String, String> raw, Setting s, boolean zeroAllowed) {
        String v = raw.get(s.env());
        Duration d;
        try {
            d = Durations.parse(v);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(s.env() + ": " + e.getMessage());
        }
        if (!zeroAllowed && d.isZero()) {
            throw new ConfigException(s.env() + ": must be greater than 0");
        }
        return d;
    }

    private static Path path(Map<String, String> raw, Setting s) {
        return optionalPath(raw, s);
    }

    private static Path optionalPath(Map<String, String> raw, Setting s) {
        String v = raw.get(s.env());
        if (v == null) {
            return null;
        }
        try {
            return Path.of(v);
        } catch (InvalidPathException e) {
            throw new ConfigException(s.env() + ": '" + v + "' is not a valid path: " + e.getReason());
        }
    }

    private static List<String> list(Map<String, String> raw, Setting s) {
        String v = raw.get(s.env());
        if (v == null) {
            return List.of();
        }
        return Arrays.stream(v.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList();
    }
}
