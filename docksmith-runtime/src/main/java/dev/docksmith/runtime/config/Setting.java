package dev.docksmith.runtime.config;

import java.util.List;
import java.util.Optional;

/**
 * One documented setting and the three names it goes by: the environment variable (also its name in
 * {@link dev.docksmith.spi.Settings}), the command-line flag and the YAML key.
 */
public record Setting(String env, String flag, String yamlKey, String defaultValue, String meaning) {

    public static final Setting DOCKER_HOST = new Setting("DOCKER_HOST", "--docker-host", "docker_host",
            "unix:///var/run/docker.sock", "engine to manage (unix:// or tcp://)");
    public static final Setting DOCKER_TLS_VERIFY = new Setting("DOCKER_TLS_VERIFY", "--docker-tls-verify", "docker_tls_verify",
            null, "use TLS for tcp:// and verify the engine's certificate");
    public static final Setting DOCKER_CERT_PATH = new Setting("DOCKER_CERT_PATH", "--docker-cert-path", "docker_cert_path",
            null, "directory with ca.pem, cert.pem, key.pem");
    public static final Setting DOCKER_TIMEOUT = new Setting("DOCKSMITH_DOCKER_TIMEOUT", "--docker-timeout", "docker_timeout",
            "30s", "timeout of each Docker engine call");
    public static final Setting PORT = new Setting("DOCKSMITH_PORT", "--port", "port", "3000", "HTTP port");
    public static final Setting BIND = new Setting("DOCKSMITH_BIND", "--bind", "bind", "127.0.0.1", "bind address");
    public static final Setting API_TOKEN = new Setting("DOCKSMITH_API_TOKEN", "--api-token", "api_token",
            null, "bearer token every route but /api/health requires");
    public static final Setting ALLOW_NO_AUTH = new Setting("DOCKSMITH_ALLOW_NO_AUTH", "--allow-no-auth", "allow_no_auth",
            null, "true: serve a non-loopback bind address without a token (a proxy of yours authenticates)");
    public static final Setting ALLOWED_ORIGINS = new Setting("DOCKSMITH_ALLOWED_ORIGINS", "--allowed-origins", "allowed_origins",
            null, "comma list of browser origins allowed besides this server's own");
    public static final Setting ALLOWED_HOSTS = new Setting("DOCKSMITH_ALLOWED_HOSTS", "--allowed-hosts", "allowed_hosts",
            null, "comma list of Host names accepted besides loopback and the bind address");
    public static final Setting DATA = new Setting("DOCKSMITH_DATA", "--data", "data", "./data", "where the store lives");
    /**
     * No fixed default: it is {@code scripts} in the data directory ({@link DocksmithConfig#from}), never the
     * working directory's {@code scripts}, which in a checkout is the project's own (start.sh, test.sh).
     */
    public static final Setting SCRIPTS_DIR = new Setting("DOCKSMITH_SCRIPTS_DIR", "--scripts-dir", "scripts_dir",
            null, "pre-update scripts; nothing outside it runs (default: scripts in the data directory)");
    public static final Setting PLUGINS_DIR = new Setting("DOCKSMITH_PLUGINS_DIR", "--plugins-dir", "plugins_dir",
            "./plugins", "extra plugin jars");
    public static final Setting CHECK_INTERVAL = new Setting("CHECK_INTERVAL", "--check-interval", "check_interval",
            "5m", "background check period (0 turns it off)");
    public static final Setting CACHE_TTL = new Setting("CACHE_TTL", "--cache-ttl", "cache_ttl", "1h",
            "how long registry answers are reused by background checks");
    public static final Setting DOCKER_CONFIG = new Setting("DOCKER_CONFIG", "--docker-config", "docker_config",
            null, "directory of config.json with registry credentials (default ~/.docker)");
    public static final Setting GITHUB_TOKEN = new Setting("GITHUB_TOKEN", "--github-token", "github_token", null, "GHCR token");
    public static final Setting SCRIPT_TIMEOUT = new Setting("DOCKSMITH_SCRIPT_TIMEOUT", "--script-timeout", "script_timeout",
            "30s", "how long a pre-update script may run");
    public static final Setting REGISTRY_TIMEOUT = new Setting("DOCKSMITH_REGISTRY_TIMEOUT", "--registry-timeout", "registry_timeout",
            "10s", "timeout of each registry request");
    public static final Setting REGISTRY_CONCURRENCY = new Setting("DOCKSMITH_REGISTRY_CONCURRENCY", "--registry-concurrency",
            "registry_concurrency", "32", "requests in flight at once per registry");
    public static final Setting INSECURE_REGISTRIES = new Setting("DOCKSMITH_INSECURE_REGISTRIES", "--insecure-registries",
            "insecure_registries", null, "comma list of registries spoken to over plain http (localhost always is)");
    public static final Setting CREDENTIAL_HELPER_PATH = new Setting("DOCKSMITH_CREDENTIAL_HELPER_PATH", "--credential-helper-path",
            "credential_helper_path", null, "where docker-credential-* helpers are looked up (default PATH)");
    public static final Setting DOCKERHUB_TAG_API = new Setting("DOCKSMITH_DOCKERHUB_TAG_API", "--dockerhub-tag-api",
            "dockerhub_tag_api", null, "list Docker Hub tags with Hub's own API instead of the registry's");
    public static final Setting HEALTH_TIMEOUT = new Setting("DOCKSMITH_HEALTH_TIMEOUT", "--health-timeout", "health_timeout",
            "60s", "how long an updated container with a healthcheck has to become healthy");
    public static final Setting HEALTH_GRACE = new Setting("DOCKSMITH_HEALTH_GRACE", "--health-grace", "health_grace",
            "10s", "how long an updated container without a healthcheck must keep running");
    public static final Setting COMPOSE_PATH_MAP = new Setting("DOCKSMITH_COMPOSE_PATH_MAP", "--compose-path-map",
            "compose_path_map", null, "when Docksmith runs in a container: where the host's compose directories are mounted (/srv/stacks:/stacks,...)");
    public static final Setting REQUEST_TIMEOUT = new Setting("DOCKSMITH_REQUEST_TIMEOUT", "--request-timeout", "request_timeout",
            "10s", "how long a client has to send a whole request (head and body); then its connection is closed");
    public static final Setting MAX_CONNECTIONS = new Setting("DOCKSMITH_MAX_CONNECTIONS", "--max-connections", "max_connections",
            "512", "requests read or answered at once; more get 429, then a closed connection");
    public static final Setting CONFIG_FILE = new Setting("DOCKSMITH_CONFIG", "--config", null, null, "optional YAML file");

    /** Every setting, in the order the help text lists them. */
    public static final List<Setting> ALL = List.of(DOCKER_HOST, DOCKER_TLS_VERIFY, DOCKER_CERT_PATH, DOCKER_TIMEOUT,
            PORT, BIND, API_TOKEN, ALLOW_NO_AUTH, ALLOWED_ORIGINS, ALLOWED_HOSTS, DATA, SCRIPTS_DIR, PLUGINS_DIR, CHECK_INTERVAL,
            CACHE_TTL, DOCKER_CONFIG, GITHUB_TOKEN, SCRIPT_TIMEOUT, REGISTRY_TIMEOUT, REGISTRY_CONCURRENCY, INSECURE_REGISTRIES,
            CREDENTIAL_HELPER_PATH, DOCKERHUB_TAG_API, HEALTH_TIMEOUT, HEALTH_GRACE, COMPOSE_PATH_MAP, REQUEST_TIMEOUT, MAX_CONNECTIONS,
            CONFIG_FILE);

    /** Settings whose values are secrets: printed as {@value #MASK} wherever settings are printed. */
    public static final List<Setting> SECRETS = List.of(API_TOKEN, GITHUB_TOKEN);
    /** What a secret value is printed as. */
    public static final String MASK = "***";

    /** The value as it may be printed: {@link #MASK} for a secret setting's value, null stays null. */
    public static String printable(String env, String value) {
        return value != null && SECRETS.stream().anyMatch(s -> s.env.equals(env)) ? MASK : value;
    }

    /** Settings whose flag may stand alone, meaning true ({@code --allow-no-auth}). */
    public static final List<Setting> SWITCHES = List.of(ALLOW_NO_AUTH);

    /** The setting with this flag. */
    public static Optional<Setting> byFlag(String flag) {
        return ALL.stream().filter(s -> s.flag.equals(flag)).findFirst();
    }

    /** The setting with this YAML key or environment name (a YAML file may use either). */
    public static Optional<Setting> byYamlKey(String key) {
        return ALL.stream().filter(s -> key.equals(s.yamlKey) || key.equals(s.env)).findFirst();
    }
}
