package dev.docksmith.registry.v2;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DockerConfigTest {
    @TempDir
    Path dir;
    @TempDir
    Path bin;

    private DockerConfig config(String json) throws Exception {
        Files.writeString(dir.resolve("config.json"), json);
        return new DockerConfig(dir, List.of(bin), Duration.ofSeconds(5));
    }

    private static String auth(String pair) {
        return Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsAuthsWithAndWithoutSchemeAndDockerHubsKey() throws Exception {
        DockerConfig c = config("{\"auths\":{"
                + "\"https://index.docker.io/v1/\":{\"auth\":\"" + auth("hubuser:hubpass") + "\"},"
                + "\"ghcr.io\":{\"username\":\"gh\",\"password\":\"ghp_x\"},"
                + "\"http://localhost:5000\":{\"auth\":\"" + auth("local:pw:with:colons") + "\"},"
                + "\"quay.io\":{\"identitytoken\":\"refresh\"},"
                + "\"marker.example\":{}"
                + "}}");

        assertEquals(Optional.of(Credentials.basic("hubuser", "hubpass")), c.find("docker.io"));
        assertEquals(Optional.of(Credentials.basic("gh", "ghp_x")), c.find("ghcr.io"));
        assertEquals(Optional.of(Credentials.basic("local", "pw:with:colons")), c.find("localhost:5000"));
        assertEquals(Optional.of(Credentials.identityToken("refresh")), c.find("quay.io"));
        assertEquals(Optional.empty(), c.find("marker.example"));
        assertEquals(Optional.empty(), c.find("other.example"));
    }

    @Test
    void missingOrBrokenFileMeansAnonymous() throws Exception {
        assertEquals(Optional.empty(), new DockerConfig(dir, List.of(), Duration.ofSeconds(1)).find("ghcr.io"));
        assertEquals(Optional.empty(), config("{not json").find("ghcr.io"));
    }

    @Test
    void credHelperForTheRegistryWinsAndNotFoundMeansAnonymous() throws Exception {
        TestSupport.script(bin, "docker-credential-pass",
                "host=$(cat)\n"
                        + "case \"$host\" in\n"
                        + "  ghcr.io) echo '{\"Username\":\"helped\",\"Secret\":\"tok\"}' ;;\n"
                        + "  https://index.docker.io/v1/) echo '{\"Username\":\"<token>\",\"Secret\":\"refresh\"}' ;;\n"
                        + "  *) echo 'credentials not found in native keychain'; exit 1 ;;\n"
                        + "esac");
        DockerConfig c = config("{\"auths\":{\"quay.io\":{\"auth\":\"" + auth("file:pw") + "\"}},"
                + "\"credHelpers\":{\"ghcr.io\":\"pass\",\"https://index.docker.io/v1/\":\"pass\",\"quay.io\":\"pass\"}}");

        assertEquals(Optional.of(Credentials.basic("helped", "tok")), c.find("ghcr.io"));
        assertEquals(Optional.of(Credentials.identityToken("refresh")), c.find("docker.io"));
        assertEquals(Optional.empty(), c.find("quay.io"), "the registry's own helper said not found");
    }

    @Test
    void credsStoreIsTheDefaultAndFallsBackToAuths() throws Exception {
        TestSupport.script(bin, "docker-credential-store",
                "host=$(cat)\n"
                        + "[ \"$host\" = registry.example ] && echo '{\"Username\":\"u\",\"Secret\":\"s\"}' && exit 0\n"
                        + "echo 'credentials not found in native keychain'; exit 1");
        DockerConfig c = config("{\"credsStore\":\"store\",\"auths\":{\"other.example\":{\"auth\":\"" + auth("o:p") + "\"}}}");

        assertEquals(Optional.of(Credentials.basic("u", "s")), c.find("registry.example"));
        assertEquals(Optional.of(Credentials.basic("o", "p")), c.find("other.example"));
        assertEquals(Optional.empty(), c.find("third.example"));
    }

    @Test
    void missingOrFailingHelperFallsBackToAuths() throws Exception {
        TestSupport.script(bin, "docker-credential-broken", "echo 'boom' >&2; exit 3");
        DockerConfig c = config("{\"credsStore\":\"desktop\",\"credHelpers\":{\"b.example\":\"broken\"},"
                + "\"auths\":{\"a.example\":{\"auth\":\"" + auth("a:1") + "\"},\"b.example\":{\"auth\":\"" + auth("b:2") + "\"}}}");

        assertEquals(Optional.of(Credentials.basic("a", "1")), c.find("a.example"));
        assertEquals(Optional.of(Credentials.basic("b", "2")), c.find("b.example"));
    }

    @Test
    void hangingHelperIsStoppedAtTheTimeout() throws Exception {
        TestSupport.script(bin, "docker-credential-slow", "sleep 30");
        Files.writeString(dir.resolve("config.json"), "{\"credsStore\":\"slow\"}");
        DockerConfig c = new DockerConfig(dir, List.of(bin), Duration.ofMillis(300));

        long start = System.nanoTime();
        assertEquals(Optional.empty(), c.find("x.example"));
        assertEquals(true, (System.nanoTime() - start) / 1_000_000 < 3000);
    }

    @Test
    void registryAuthHeaderIsBase64UrlJson() {
        String header = RegistryAuth.header(Credentials.basic("u", "p?>"), "docker.io");
        String json = new String(Base64.getUrlDecoder().decode(header), StandardCharsets.UTF_8);
        assertEquals("{\"username\":\"u\",\"password\":\"p?>\",\"serveraddress\":\"https://index.docker.io/v1/\"}", json);

        String token = new String(Base64.getUrlDecoder().decode(RegistryAuth.header(Credentials.identityToken("t"), "ghcr.io")),
                StandardCharsets.UTF_8);
        assertEquals("{\"identitytoken\":\"t\",\"serveraddress\":\"ghcr.io\"}", token);
    }

    @Test
    void credentialsNeverPrintSecrets() {
        assertEquals("Credentials[username=u, password=***]", Credentials.basic("u", "secret").toString());
        assertEquals("Credentials[identityToken=***]", Credentials.identityToken("secret").toString());
    }
}
