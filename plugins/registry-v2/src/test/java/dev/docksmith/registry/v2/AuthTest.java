package dev.docksmith.registry.v2;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.docksmith.api.ImageRef;
import dev.docksmith.api.RegistryException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.head;
import static com.github.tomakehurst.wiremock.client.WireMock.headRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.unauthorized;
import static com.github.tomakehurst.wiremock.client.WireMock.urlMatching;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AuthTest {
    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @TempDir
    Path dockerConfig;

    private String registry() {
        return "localhost:" + wm.getPort();
    }

    private ImageRef image(String rest) {
        return ImageRef.parse(registry() + "/" + rest);
    }

    /** A registry that wants a Bearer token from /token for every /v2/ request, accepting the given tokens. */
    private void bearerRegistry(String... accepted) {
        wm.stubFor(any(urlPathMatching("/v2/.*")).atPriority(10)
                .willReturn(unauthorized()
                        .withHeader("WWW-Authenticate", "Bearer realm=\"" + wm.baseUrl()
                                + "/token\",service=\"test-registry\",scope=\"repository:team/app:pull\"")
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\"}]}")));
        for (String token : accepted) {
            wm.stubFor(get(urlPathMatching("/v2/.*/tags/list")).atPriority(1)
                    .withHeader("Authorization", equalTo("Bearer " + token))
                    .willReturn(okJson("{\"tags\":[\"1.0\",\"1.1\"]}")));
            wm.stubFor(head(urlPathMatching("/v2/.*/manifests/.*")).atPriority(1)
                    .withHeader("Authorization", equalTo("Bearer " + token))
                    .willReturn(aResponse().withHeader("Docker-Content-Digest", "sha256:" + "0".repeat(64))));
        }
    }

    @Test
    void tokenDanceThenTheTokenIsReused() {
        bearerRegistry("t1");
        wm.stubFor(get(urlPathEqualTo("/token"))
                .withQueryParam("service", equalTo("test-registry"))
                .withQueryParam("scope", equalTo("repository:team/app:pull"))
                .withHeader("Authorization", absent())
                .willReturn(okJson("{\"token\":\"t1\",\"expires_in\":300}")));
        V2RegistryClient client = TestSupport.client(wm.baseUrl(), TestSupport.config(dockerConfig), CredentialStore.NONE);

        assertEquals(List.of("1.0", "1.1"), client.tags(image("team/app:1.0")));
        assertEquals(List.of("1.0", "1.1"), client.tags(image("team/app:1.0")));
        assertEquals(Optional.of("sha256:" + "0".repeat(64)), client.digest(image("team/app:1.0")));

        wm.verify(1, getRequestedFor(urlPathEqualTo("/token")));
        wm.verify(1, getRequestedFor(urlPathMatching("/v2/.*")).withHeader("Authorization", absent()));
        wm.verify(2, getRequestedFor(urlPathMatching("/v2/.*")).withHeader("Authorization", equalTo("Bearer t1")));
        wm.verify(1, headRequestedFor(urlPathMatching("/v2/.*")).withHeader("Authorization", equalTo("Bearer t1")));
    }

    @Test
    void aNewTokenAfterExpiry() {
        bearerRegistry("t1", "t2");
        wm.stubFor(get(urlPathEqualTo("/token")).inScenario("tokens").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(okJson("{\"token\":\"t1\",\"expires_in\":60}")).willSetStateTo("second"));
        wm.stubFor(get(urlPathEqualTo("/token")).inScenario("tokens").whenScenarioStateIs("second")
                .willReturn(okJson("{\"access_token\":\"t2\"}")));
        TestSupport.MutableClock clock = new TestSupport.MutableClock();
        V2RegistryClient client = TestSupport.client(wm.baseUrl(), TestSupport.config(dockerConfig).withClock(clock),
                CredentialStore.NONE);

        client.tags(image("team/app:1.0"));
        clock.advance(Duration.ofSeconds(50)); // inside the lifetime minus the margin
        client.tags(image("team/app:1.0"));
        wm.verify(1, getRequestedFor(urlPathEqualTo("/token")));

        clock.advance(Duration.ofSeconds(5)); // 55 s: within the 6 s margin before expiry
        client.tags(image("team/app:1.0"));
        wm.verify(2, getRequestedFor(urlPathEqualTo("/token")));
        wm.verify(1, getRequestedFor(urlPathMatching("/v2/.*")).withHeader("Authorization", equalTo("Bearer t2")));
        // The second token came before the request: no second 401.
        wm.verify(1, getRequestedFor(urlPathMatching("/v2/.*")).withHeader("Authorization", absent()));
    }

    @Test
    void aCachedTokenTheRegistryRefusesIsReplacedOnceAndTheRequestRetried() {
        bearerRegistry("t1");
        wm.stubFor(get(urlPathEqualTo("/token")).willReturn(okJson("{\"token\":\"t1\",\"expires_in\":300}")));
        V2RegistryClient client = TestSupport.client(wm.baseUrl(), TestSupport.config(dockerConfig), CredentialStore.NONE);
        client.tags(image("team/app:1"));

        // The registry revokes t1 (a key rotation, say) and its token service now hands out t2.
        wm.resetAll();
        bearerRegistry("t2");
        wm.stubFor(get(urlPathEqualTo("/token")).willReturn(okJson("{\"token\":\"t2\",\"expires_in\":300}")));

        assertEquals(List.of("1.0", "1.1"), client.tags(image("team/app:1")));
        wm.verify(1, getRequestedFor(urlPathEqualTo("/token")));
        wm.verify(1, getRequestedFor(urlPathMatching("/v2/.*")).withHeader("Authorization", equalTo("Bearer t1")));
        wm.verify(1, getRequestedFor(urlPathMatching("/v2/.*")).withHeader("Authorization", equalTo("Bearer t2")));
    }

    @Test
    void theChallengeIsRememberedSoOtherRepositoriesGetTheirTokenFirst() {
        bearerRegistry("t-app", "t-db");
        wm.stubFor(get(urlPathEqualTo("/token")).withQueryParam("scope", equalTo("repository:team/app:pull"))
                .willReturn(okJson("{\"token\":\"t-app\",\"expires_in\":300}")));
        wm.stubFor(get(urlPathEqualTo("/token")).withQueryParam("scope", equalTo("repository:team/db:pull"))
                .willReturn(okJson("{\"token\":\"t-db\",\"expires_in\":300}")));
        V2RegistryClient client = TestSupport.client(wm.baseUrl(), TestSupport.config(dockerConfig), CredentialStore.NONE);

        client.tags(image("team/app:1"));
        client.tags(image("team/db:1"));
        client.digest(image("team/db:1"));

        wm.verify(1, getRequestedFor(urlPathMatching("/v2/.*")).withHeader("Authorization", absent()));
        wm.verify(2, getRequestedFor(urlPathEqualTo("/token")));
    }

    @Test
    void manyThreadsWantingOneScopeFetchItsTokenOnce() throws Exception {
        bearerRegistry("t1");
        wm.stubFor(get(urlPathEqualTo("/token")).willReturn(okJson("{\"token\":\"t1\",\"expires_in\":300}").withFixedDelay(100)));
        V2RegistryClient client = TestSupport.client(wm.baseUrl(), TestSupport.config(dockerConfig), CredentialStore.NONE);
        client.tags(image("team/other:1")); // learns the challenge
        wm.resetRequests();

        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<List<String>>> results = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                results.add(pool.submit(() -> client.tags(image("team/app:1"))));
            }
            for (Future<List<String>> f : results) {
                assertEquals(List.of("1.0", "1.1"), f.get());
            }
        } finally {
            pool.shutdownNow();
        }
        wm.verify(1, getRequestedFor(urlPathEqualTo("/token")));
        wm.verify(0, getRequestedFor(urlPathMatching("/v2/.*")).withHeader("Authorization", absent()));
    }

    @Test
    void tokenEndpointGetsBasicCredentialsFromConfigJson() throws Exception {
        bearerRegistry("private-token");
        Files.writeString(dockerConfig.resolve("config.json"),
                "{\"auths\":{\"http://" + registry() + "\":{\"auth\":\"" + base64("alice:s3cret") + "\"}}}");
        wm.stubFor(get(urlPathEqualTo("/token")).withBasicAuth("alice", "s3cret")
                .willReturn(okJson("{\"token\":\"private-token\",\"expires_in\":300}")));
        V2RegistryClient client = TestSupport.client(wm.baseUrl(), TestSupport.config(dockerConfig),
                DockerConfig.from(TestSupport.config(dockerConfig)));

        assertEquals(List.of("1.0", "1.1"), client.tags(image("team/app:1")));
    }

    @Test
    void identityTokenIsExchangedWithTheOAuthForm() {
        bearerRegistry("from-refresh");
        wm.stubFor(post(urlPathEqualTo("/token"))
                .withRequestBody(matching(".*grant_type=refresh_token.*"))
                .withRequestBody(matching(".*refresh_token=my-refresh.*"))
                .withRequestBody(matching(".*scope=repository%3Ateam%2Fapp%3Apull.*"))
                .willReturn(okJson("{\"access_token\":\"from-refresh\",\"expires_in\":300}")));
        V2RegistryClient client = TestSupport.client(wm.baseUrl(), TestSupport.config(dockerConfig),
                r -> Optional.of(Credentials.identityToken("my-refresh")));

        assertEquals(List.of("1.0", "1.1"), client.tags(image("team/app:1")));
        wm.verify(1, postRequestedFor(urlPathEqualTo("/token")));
    }

    @Test
    void basicChallengeIsAnsweredWithCredentialsAndThenSentUpFront() {
        wm.stubFor(any(urlPathMatching("/v2/.*")).atPriority(10)
                .willReturn(unauthorized().withHeader("WWW-Authenticate", "Basic realm=\"Registry Realm\"")));
        wm.stubFor(get(urlPathMatching("/v2/.*/tags/list")).atPriority(1).withBasicAuth("bob", "pw")
                .willReturn(okJson("{\"tags\":[\"x\"]}")));
        wm.stubFor(head(urlPathMatching("/v2/.*/manifests/.*")).atPriority(1).withBasicAuth("bob", "pw")
                .willReturn(aResponse().withHeader("Docker-Content-Digest", "sha256:" + "1".repeat(64))));
        V2RegistryClient client = TestSupport.client(wm.baseUrl(), TestSupport.config(dockerConfig),
                r -> r.equals(registry()) ? Optional.of(Credentials.basic("bob", "pw")) : Optional.empty());

        assertEquals(List.of("x"), client.tags(image("team/app:1")));
        assertEquals(Optional.of("sha256:" + "1".repeat(64)), client.digest(image("team/app:1")));
        assertEquals(List.of("x"), client.tags(image("team/db:1")));

        wm.verify(1, getRequestedFor(urlMatching("/v2/.*")).withHeader("Authorization", absent()));
        wm.verify(0, headRequestedFor(urlMatching("/v2/.*")).withHeader("Authorization", absent()));
    }

    @Test
    void basicChallengeWithoutCredentialsFailsClearly() {
        wm.stubFor(any(urlPathMatching("/v2/.*"))
                .willReturn(unauthorized().withHeader("WWW-Authenticate", "Basic realm=\"Registry Realm\"")
                        .withBody("{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\"}]}")));
        V2RegistryClient client = TestSupport.client(wm.baseUrl(), TestSupport.config(dockerConfig),
                DockerConfig.from(TestSupport.config(dockerConfig)));

        RegistryException e = assertThrows(RegistryException.class, () -> client.tags(image("team/app:1")));
        assertEquals(401, e.status());
        assertEquals("listing tags of " + registry() + "/team/app: 401 UNAUTHORIZED authentication required"
                + " (no credentials for " + registry() + " in " + dockerConfig.resolve("config.json") + ")", e.getMessage());
        wm.verify(1, getRequestedFor(urlMatching("/v2/.*")));
    }

    @Test
    void bearerRefusedForAnonymousFailsClearlyAfterOneRetry() {
        bearerRegistry(); // accepts no token at all
        wm.stubFor(get(urlPathEqualTo("/token")).willReturn(okJson("{\"token\":\"anon\",\"expires_in\":300}")));
        V2RegistryClient client = TestSupport.client(wm.baseUrl(), TestSupport.config(dockerConfig), CredentialStore.NONE);

        RegistryException e = assertThrows(RegistryException.class, () -> client.tags(image("team/app:1")));
        assertEquals(401, e.status());
        assertTrue(e.getMessage().startsWith("listing tags of " + registry() + "/team/app: 401 UNAUTHORIZED"), e.getMessage());
        assertTrue(e.getMessage().contains("no credentials for " + registry()), e.getMessage());
        wm.verify(2, getRequestedFor(urlPathMatching("/v2/.*")));
    }

    @Test
    void tokenEndpointRefusingCredentialsSaysSo() {
        bearerRegistry("never");
        wm.stubFor(get(urlPathEqualTo("/token")).willReturn(aResponse().withStatus(401)
                .withBody("{\"details\":\"incorrect username or password\"}")));
        V2RegistryClient client = TestSupport.client(wm.baseUrl(), TestSupport.config(dockerConfig),
                r -> Optional.of(Credentials.basic("alice", "wrong")));

        RegistryException e = assertThrows(RegistryException.class, () -> client.tags(image("team/app:1")));
        assertEquals(401, e.status());
        assertTrue(e.getMessage().startsWith("fetching a token for " + registry() + "/team/app: 401 incorrect username or password"),
                e.getMessage());
        assertTrue(e.getMessage().contains("were refused"), e.getMessage());
    }

    @Test
    void credentialHelperOnTheHelperPathSuppliesTheLogin(@TempDir Path bin) throws Exception {
        TestSupport.script(bin, "docker-credential-dstest",
                "host=$(cat)\n"
                        + "if [ \"$1\" = get ] && [ \"$host\" = \"" + registry() + "\" ]; then\n"
                        + "  printf '{\"ServerURL\":\"%s\",\"Username\":\"helper-user\",\"Secret\":\"helper-secret\"}' \"$host\"\n"
                        + "else\n"
                        + "  echo 'credentials not found in native keychain'; exit 1\n"
                        + "fi");
        Files.writeString(dockerConfig.resolve("config.json"), "{\"credHelpers\":{\"" + registry() + "\":\"dstest\"}}");
        wm.stubFor(any(urlPathMatching("/v2/.*")).atPriority(10)
                .willReturn(unauthorized().withHeader("WWW-Authenticate", "Basic realm=\"r\"")));
        wm.stubFor(get(urlPathMatching("/v2/.*/tags/list")).atPriority(1).withBasicAuth("helper-user", "helper-secret")
                .willReturn(okJson("{\"tags\":[\"ok\"]}")));
        RegistryConfig config = TestSupport.config(dockerConfig).withHelperPath(List.of(bin));
        V2RegistryClient client = TestSupport.client(wm.baseUrl(), config, DockerConfig.from(config));

        assertEquals(List.of("ok"), client.tags(image("team/app:1")));
    }

    private static String base64(String s) {
        return java.util.Base64.getEncoder().encodeToString(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
