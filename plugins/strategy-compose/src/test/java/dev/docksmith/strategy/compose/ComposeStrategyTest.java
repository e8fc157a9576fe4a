package dev.docksmith.strategy.compose;

import dev.docksmith.api.ContainerInfo;
import dev.docksmith.api.DocksmithException;
import dev.docksmith.spi.UpdateStrategy;
import dev.docksmith.strategy.compose.Substitution.Origin;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reads real compose files from temporary project directories. */
class ComposeStrategyTest {
    @TempDir
    Path dir;

    private final ComposeStrategy strategy = new ComposeStrategy(Map.of());

    private Path write(String name, String content) throws IOException {
        Path f = dir.resolve(name);
        Files.createDirectories(f.getParent());
        Files.writeString(f, content);
        return f;
    }

    private ContainerInfo v2(String service, Path... files) {
        return Containers.compose("proj", service, dir.toString(),
                String.join(",", java.util.Arrays.stream(files).map(Path::toString).toList()));
    }

    private ContainerInfo v1(String service, String configFiles) {
        return Containers.compose("proj", service, dir.toString(), configFiles);
    }

    @Test
    void isRegisteredForServiceLoader() {
        var found = ServiceLoader.load(UpdateStrategy.class).stream().map(ServiceLoader.Provider::get).toList();
        assertEquals(1, found.size());
        assertEquals("strategy-compose", found.get(0).name());
        assertEquals(10, found.get(0).priority());
    }

    @Test
    void v2AbsoluteConfigFile() throws IOException {
        Path f = write("compose.yml", """
                services:
                  web:
                    image: nginx:1.25.3
                  db:
                    image: "postgres:16-alpine"   # pinned
                """);
        assertEquals(Optional.of("nginx:1.25.3"), strategy.declaredImage(v2("web", f)));
        assertEquals(Optional.of("postgres:16-alpine"), strategy.declaredImage(v2("db", f)));
    }

    @Test
    void v1RelativeConfigFilesResolveAgainstWorkingDir() throws IOException {
        write("docker-compose.yml", "version: '3'\nservices:\n  web:\n    image: nginx:1.24\n");
        write("deploy/prod.yml", "services:\n  web:\n    image: nginx:1.25\n");
        assertEquals(Optional.of("nginx:1.24"), strategy.declaredImage(v1("web", "docker-compose.yml")));
        assertEquals(Optional.of("nginx:1.25"), strategy.declaredImage(v1("web", "docker-compose.yml,deploy/prod.yml")));
    }

    @Test
    void laterFilesOverrideTheImageAndKeepItWhenSilent() throws IOException {
        Path base = write("compose.yml", "services:\n  web:\n    image: app:1.0\n  worker:\n    image: worker:1.0\n");
        Path override = write("override.yml", "services:\n  web:\n    image: app:2.0\n  worker:\n    environment: [A=1]\n");
        Path third = write("third.yml", "services:\n  other:\n    image: x:1\n");
        var web = strategy.service(v2("web", base, override, third));
        assertEquals("app:2.0", web.image());
        assertEquals(override, web.source().file(), "the span must point into the file that won");
        var worker = strategy.service(v2("worker", base, override, third));
        assertEquals("worker:1.0", worker.image(), "an override without image: keeps the earlier one");
        assertEquals(base, worker.source().file());
        assertEquals(Optional.of("app:1.0"), strategy.declaredImage(v2("web", override, base)), "order matters");
    }

    @Test
    void resetTagRemovesAnEarlierImage() throws IOException {
        Path base = write("compose.yml", "services:\n  web:\n    image: app:1.0\n    build: .\n");
        Path override = write("override.yml", "services:\n  web:\n    image: !reset null\n");
        assertEquals(Optional.empty(), strategy.declaredImage(v2("web", base, override)));
    }

    @Test
    void dotEnvSubstitutionWithDefaults() throws IOException {
        Path f = write("compose.yml", """
                services:
                  web:
                    image: localhost:5000/docksmith/demo:${DEMO_TAG:-1.0.0}
                  api:
                    image: ${REGISTRY-docker.io}/team/api:${API_TAG}
                  unset:
                    image: app:${NOT_ANYWHERE:-0.9}
                """);
        write(".env", "# versions\nDEMO_TAG=1.1.0\nAPI_TAG='3.2'\n");
        var web = strategy.service(v2("web", f));
        assertEquals("localhost:5000/docksmith/demo:1.1.0", web.image());
        assertEquals(List.of(new Substitution("DEMO_TAG", "1.1.0", Origin.ENV_FILE, dir.resolve(".env"), 2)),
                web.source().substitutions());
        assertEquals("localhost:5000/docksmith/demo:${DEMO_TAG:-1.0.0}", web.source().template());
        assertEquals(Optional.of("docker.io/team/api:3.2"), strategy.declaredImage(v2("api", f)));
        var unset = strategy.service(v2("unset", f));
        assertEquals("app:0.9", unset.image());
        assertEquals(Origin.DEFAULT, unset.source().substitutions().get(0).origin());
    }

    @Test
    void processEnvironmentWinsOverDotEnv() throws IOException {
        Path f = write("compose.yml", "services:\n  web:\n    image: app:${TAG}\n");
        write(".env", "TAG=from-file\n");
        assertEquals(Optional.of("app:from-file"), strategy.declaredImage(v2("web", f)));
        var shell = new ComposeStrategy(Map.of("TAG", "from-shell"));
        assertEquals(Optional.of("app:from-shell"), shell.declaredImage(v2("web", f)));
        assertEquals(Origin.ENVIRONMENT, shell.service(v2("web", f)).source().substitutions().get(0).origin());
    }

    @Test
    void envFileLabelIsUsedInsteadOfDotEnv() throws IOException {
        Path f = write("compose.yml", "services:\n  web:\n    image: app:${TAG}\n");
        write(".env", "TAG=dot\n");
        write("prod.env", "TAG=prod\n");
        Map<String, String> labels = new java.util.HashMap<>(v2("web", f).labels());
        labels.put(ComposeLocator.ENV_FILES_LABEL, "prod.env");
        assertEquals(Optional.of("app:prod"), strategy.declaredImage(Containers.withLabels("c", labels)));
    }

    @Test
    void dollarDollarEscapes() throws IOException {
        Path f = write("compose.yml", "services:\n  web:\n    image: reg/app$$x:${T:-1}\n");
        assertEquals(Optional.of("reg/app$x:1"), strategy.declaredImage(v2("web", f)));
    }

    @Test
    void buildOnlyServiceDeclaresNoImage() throws IOException {
        Path f = write("compose.yml", "services:\n  local:\n    build:\n      context: .\n  bare:\n");
        var local = strategy.service(v2("local", f));
        assertEquals(Optional.empty(), local.declaredImage());
        assertNull(local.source());
        assertEquals(Optional.empty(), strategy.declaredImage(v2("bare", f)));
    }

    @Test
    void mergeKeysAndAnchorsAreFollowed() throws IOException {
        Path f = write("compose.yml", """
                x-base: &base
                  image: app:${TAG:-7}
                  restart: always
                services:
                  a:
                    <<: *base
                  b:
                    <<: [*base]
                    image: app:own
                """);
        var a = strategy.service(v2("a", f));
        assertEquals("app:7", a.image());
        assertEquals(2, a.source().span().line(), "the span is the anchor's scalar, where the value is written");
        assertEquals(Optional.of("app:own"), strategy.declaredImage(v2("b", f)), "a key of the service wins over a merged one");
    }

    @Test
    void spanCoversExactlyTheScalarEvenAfterNonAsciiText() throws IOException {
        String text = "# déjà vu 🚀 ünïcödé\nservices:\n  web:\n    image:   'nginx:1.25'   # ✓ pinned\n  api: {image: \"api:2\"}\n";
        Path f = write("compose.yml", text);
        String content = Files.readString(f, StandardCharsets.UTF_8);
        var web = strategy.service(v2("web", f)).source().span();
        assertEquals("'nginx:1.25'", content.substring(web.start(), web.end()));
        assertEquals("'nginx:1.25'", web.sourceText());
        assertEquals(ScalarSpan.Quoting.SINGLE_QUOTED, web.quoting());
        assertEquals(4, web.line());
        assertEquals(14, web.column());
        var api = strategy.service(v2("api", f)).source().span();
        assertEquals("\"api:2\"", content.substring(api.start(), api.end()));
        assertEquals(ScalarSpan.Quoting.DOUBLE_QUOTED, api.quoting());
        var plain = strategy.service(v2("web", write("p.yml", "services:\n  web:\n    image: nginx:1.25 # c\n"))).source().span();
        assertEquals("nginx:1.25", plain.sourceText());
        assertEquals(ScalarSpan.Quoting.PLAIN, plain.quoting());
    }

    @Test
    void missingFileNamesTheFile() {
        Path missing = dir.resolve("gone/compose.yml");
        var e = assertThrows(DocksmithException.class, () -> strategy.declaredImage(v2("web", missing)));
        assertEquals("compose file " + missing + " does not exist", e.getMessage());
        var d = assertThrows(DocksmithException.class, () -> strategy.declaredImage(v2("web", dir)));
        assertTrue(d.getMessage().contains("not a regular file"), d.getMessage());
    }

    @Test
    void unreadableFileNamesTheFile() throws IOException {
        Path f = write("compose.yml", "services: {}\n");
        f.toFile().setReadable(false);
        try {
            Assumptions.assumeFalse(Files.isReadable(f), "running as root: file permissions do not stop reads");
            var e = assertThrows(DocksmithException.class, () -> strategy.declaredImage(v2("web", f)));
            assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains("permission denied"), e.getMessage());
        } finally {
            f.toFile().setReadable(true);
        }
    }

    @Test
    void brokenYamlNamesTheFileAndPositionWithoutEchoingContent() throws IOException {
        Path f = write("compose.yml", "services:\n  web:\n    image: [unclosed secret-token\n");
        var e = assertThrows(DocksmithException.class, () -> strategy.declaredImage(v2("web", f)));
        assertTrue(e.getMessage().startsWith("compose file " + f + " is not valid YAML: "), e.getMessage());
        assertTrue(e.getMessage().contains("line "), e.getMessage());
        assertFalse(e.getMessage().contains("secret-token"), "no snippet of the file in the message: " + e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());

        Path tabs = write("tabs.yml", "services:\n\tweb:\n");
        assertTrue(assertThrows(DocksmithException.class, () -> strategy.declaredImage(v2("web", tabs)))
                .getMessage().contains(tabs.toString()));
        Path binary = dir.resolve("bin.yml");
        Files.write(binary, new byte[]{(byte) 0xff, (byte) 0xfe, 0, 1});
        assertTrue(assertThrows(DocksmithException.class, () -> strategy.declaredImage(v2("web", binary)))
                .getMessage().contains("not UTF-8"));
    }

    @Test
    void wrongShapesAreExplained() throws IOException {
        Path list = write("list.yml", "- a\n- b\n");
        assertTrue(assertThrows(DocksmithException.class, () -> strategy.declaredImage(v2("web", list)))
                .getMessage().contains("the top level is not a mapping"));
        Path imageMap = write("map.yml", "services:\n  web:\n    image: {name: x}\n");
        assertTrue(assertThrows(DocksmithException.class, () -> strategy.declaredImage(v2("web", imageMap)))
                .getMessage().contains("image of service web is not a string"));
        Path dup = write("dup.yml", "services:\n  web:\n    image: a:1\n    image: a:2\n");
        assertTrue(assertThrows(DocksmithException.class, () -> strategy.declaredImage(v2("web", dup)))
                .getMessage().contains("duplicate key 'image'"));
    }

    @Test
    void unknownServiceNamesTheFiles() throws IOException {
        Path a = write("compose.yml", "services:\n  web:\n    image: a:1\n");
        Path b = write("empty.yml", "");
        var e = assertThrows(DocksmithException.class, () -> strategy.declaredImage(v2("nope", a, b)));
        assertEquals("service nope is not defined in " + a + ", " + b, e.getMessage());
    }

    @Test
    void substitutionErrorsNameTheFileAndVariable() throws IOException {
        Path f = write("compose.yml", "services:\n  web:\n    image: app:${TAG:?set TAG in .env}\n  bad:\n    image: app:$\n  blank:\n    image: ${NOTHING}\n");
        var e = assertThrows(DocksmithException.class, () -> strategy.declaredImage(v2("web", f)));
        assertEquals("compose file " + f + ": image of service web (line 3): required variable TAG is missing a value: set TAG in .env",
                e.getMessage());
        assertTrue(assertThrows(DocksmithException.class, () -> strategy.declaredImage(v2("bad", f)))
                .getMessage().contains("invalid interpolation format"));
        assertTrue(assertThrows(DocksmithException.class, () -> strategy.declaredImage(v2("blank", f)))
                .getMessage().contains("empty after substitution"));
    }

    @Test
    void brokenDotEnvNamesIt() throws IOException {
        Path f = write("compose.yml", "services:\n  web:\n    image: app:${TAG}\n");
        write(".env", "TAG=\"open\n");
        var e = assertThrows(DocksmithException.class, () -> strategy.declaredImage(v2("web", f)));
        assertTrue(e.getMessage().contains(dir.resolve(".env").toString()), e.getMessage());
    }
}
