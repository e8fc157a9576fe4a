package dev.docksmith.runtime.config;

import dev.docksmith.runtime.http.SecurityPolicy;
import dev.docksmith.runtime.plugin.PluginSettings;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Records print every component by default, and settings objects end up in log lines, exception
 * messages and debuggers: none may print the API token, GITHUB_TOKEN or a password from the environment.
 */
class SecretsNotPrintedTest {
    static final String API_TOKEN = "api-t0ken-secret";
    static final String GITHUB_TOKEN = "ghp_s3cretGithubToken";
    static final String PASSWORD = "registry-passw0rd";

    final DocksmithConfig config = ConfigLoader.load(Map.of("DOCKSMITH_API_TOKEN", API_TOKEN, "GITHUB_TOKEN", GITHUB_TOKEN),
            List.of("--bind", "0.0.0.0", "--port", "4000"));

    @Test
    void theConfigurationMasksTheTokensAndStillSaysTheRest() {
        String text = config.toString();
        assertNoSecret(text);
        assertTrue(text.contains("apiToken=***") && text.contains("GITHUB_TOKEN=***"), text);
        assertTrue(text.contains("bind=0.0.0.0") && text.contains("port=4000"), text);
        assertEquals(API_TOKEN, config.apiToken(), "the value itself is untouched");
        assertTrue(DocksmithConfig.defaults().toString().contains("apiToken=null"), "unset stays visibly unset");
    }

    @Test
    void whatPluginsSeeShowsNoEnvironmentValue() {
        PluginSettings settings = new PluginSettings(config, Map.of("KEYED_REGISTRY_PASSWORD", PASSWORD, "GITHUB_TOKEN", GITHUB_TOKEN));
        assertNoSecret(settings.toString());
        assertEquals(PASSWORD, settings.text("KEYED_REGISTRY_PASSWORD").orElseThrow());
    }

    @Test
    void theHttpSecurityPolicyMasksTheToken() {
        SecurityPolicy policy = new SecurityPolicy(API_TOKEN, "0.0.0.0", 4000, List.of(), List.of("docksmith.lan"));
        assertNoSecret(policy.toString());
        assertTrue(policy.toString().contains("docksmith.lan"), policy.toString());
    }

    static void assertNoSecret(String text) {
        for (String secret : List.of(API_TOKEN, GITHUB_TOKEN, PASSWORD)) {
            assertFalse(text.contains(secret), "prints a secret: " + text);
        }
    }
}
