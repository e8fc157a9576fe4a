package dev.docksmith.strategy.compose;

import dev.docksmith.api.DocksmithException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Label edits compared as whole files, before and after. */
class ComposeLabelEditorTest {
    @TempDir
    Path dir;

    private final ComposeLabelEditor editor = new ComposeLabelEditor();

    private String edit(String before, Map<String, String> set, List<String> remove) throws IOException {
        Path f = dir.resolve("compose.yml");
        Files.write(f, before.getBytes(StandardCharsets.UTF_8));
        return editor.edit(YamlDocument.read(f), "web", set, remove);
    }

    @Test
    void listStyleKeepsQuotingCommentsAndIndentation() throws IOException {
        String before = """
                services:
                  web:
                    image: demo:1.0.0
                    labels:
                      - "com.example.team=ops"   # owner
                      - "docksmith.ignore=false"
                      # a comment between entries
                      - "docksmith.version-max=2.0.0"
                    ports: ["80"]
                  db:
                    labels:
                      - "docksmith.ignore=false"
                """;
        String after = edit(before, Map.of("docksmith.ignore", "true", "com.example.cost", "a$b"),
                List.of("com.example.team"));
        assertEquals("""
                services:
                  web:
                    image: demo:1.0.0
                    labels:
                      - "docksmith.ignore=true"
                      # a comment between entries
                      - "docksmith.version-max=2.0.0"
                      - "com.example.cost=a$$b"
                    ports: ["80"]
                  db:
                    labels:
                      - "docksmith.ignore=false"
                """, after);
    }

    @Test
    void plainListItemsStayPlainWhereThatIsSafe() throws IOException {
        String before = "services:\n  web:\n    labels:\n    - a=1\n    - b=2\n";
        assertEquals("services:\n  web:\n    labels:\n    - a=1\n    - b=3\n    - \"c=x y\"\n    - \"d=#not a comment\"\n",
                edit(before, Map.of("b", "3", "c", "x y", "d", "#not a comment"), List.of()));
    }

    @Test
    void mapStyleChangesValuesInPlaceAndAppendsInTheSameStyle() throws IOException {
        String before = """
                services:
                  web:
                    image: demo:1.0.0
                    labels:
                      com.example.team: ops     # owner
                      docksmith.version-max: 2.0.0
                    ports: ["80"]
                """;
        String after = edit(before, Map.of("docksmith.ignore", "true", "com.example.team", "dev ops"),
                List.of("docksmith.version-max"));
        assertEquals("""
                services:
                  web:
                    image: demo:1.0.0
                    labels:
                      com.example.team: "dev ops"     # owner
                      docksmith.ignore: "true"
                    ports: ["80"]
                """, after);
    }

    @Test
    void crlfFilesStayCrlf() throws IOException {
        String before = "services:\r\n  web:\r\n    labels:\r\n      a: '1'\r\n      b: 'x'\r\n    image: demo:1.0.0\r\n";
        assertEquals("services:\r\n  web:\r\n    labels:\r\n      a: '2'\r\n      b: 'x'\r\n      c: 'it''s'\r\n    image: demo:1.0.0\r\n",
                edit(before, Map.of("a", "2", "c", "it's"), List.of()));

        String noLabels = "# top\r\nservices:\r\n  web:\r\n    image: demo:1.0.0\r\n";
        assertEquals("# top\r\nservices:\r\n  web:\r\n    image: demo:1.0.0\r\n    labels:\r\n      docksmith.ignore: \"true\"\r\n",
                edit(noLabels, Map.of("docksmith.ignore", "true"), List.of()));
    }

    /** What compose must read as a string goes quoted; the result reads back as exactly the value. */
    @ParameterizedTest(name = "[{0}] -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "true|\"true\"",
            "1|\"1\"",
            "yes|\"yes\"",
            "No|\"No\"",
            "off|\"off\"",
            "``|\"\"",
            "a: b|\"a: b\"",
            "x #y|\"x #y\"",
            "1.2.3|\"1.2.3\"",
            "^v?1\\.\\d+$|\"^v?1\\\\.\\\\d+$$\"",
            "say \"hi\"|\"say \\\"hi\\\"\"",
            "nginx-1_2.x/y|nginx-1_2.x/y",
    })
    void valuesThatYamlWouldNotReadAsThatStringAreQuoted(String value, String written) throws IOException {
        String before = "services:\n  web:\n    labels:\n      a: b\n";
        String after = edit(before, Map.of("k", value), List.of());
        assertEquals(before + "      k: " + written + "\n", after);
        Map<?, ?> web = web(after);
        Object read = ((Map<?, ?>) web.get("labels")).get("k");
        assertEquals(value.replace("$", "$$"), read, "reads back as the string compose then unescapes");
    }

    @Test
    void removingTheLastLabelRemovesTheLabelsKey() throws IOException {
        String list = "services:\n  web:\n    image: demo:1.0.0\n    labels:   # ours\n      - a=b\n    restart: always\n";
        assertEquals("services:\n  web:\n    image: demo:1.0.0\n    restart: always\n", edit(list, Map.of(), List.of("a")));

        String map = "services:\n  web:\n    image: demo:1.0.0\n    labels:\n      a: b\n      c: d";
        assertEquals("services:\n  web:\n    image: demo:1.0.0", edit(map, Map.of(), List.of("a", "c")),
                "no final newline before, none after");
    }

    @Test
    void addsALabelsBlockIndentedLikeTheService() throws IOException {
        String before = """
                services:
                    web:
                        image: demo:1.0.0   # x
                        environment:
                            - A=1
                        # commented: out

                    db:
                        image: postgres
                """;
        assertEquals("""
                services:
                    web:
                        image: demo:1.0.0   # x
                        environment:
                            - A=1
                        labels:
                            a: b
                            docksmith.ignore: "true"
                        # commented: out

                    db:
                        image: postgres
                """, edit(before, Map.of("docksmith.ignore", "true", "a", "b"), List.of()));

        String last = "services:\n  web:\n    image: demo:1.0.0";
        assertEquals("services:\n  web:\n    image: demo:1.0.0\n    labels:\n      a: b", edit(last, Map.of("a", "b"), List.of()));
        assertEquals(last, edit(last, Map.of(), List.of("a")), "removing what is not there changes nothing");
    }

    @Test
    void flowCollectionsKeepTheirShape() throws IOException {
        String list = "services:\n  web:\n    labels: ['dev.docksmith.test=true']  # flow\n";
        assertEquals("services:\n  web:\n    labels: ['dev.docksmith.test=true', 'a=b']  # flow\n",
                edit(list, Map.of("a", "b"), List.of()));
        assertEquals("services:\n  web:\n    labels: ['a=b']  # flow\n",
                edit(list, Map.of("a", "b"), List.of("dev.docksmith.test")));
        assertEquals("services:\n  web:\n    labels: []  # flow\n", edit(list, Map.of(), List.of("dev.docksmith.test")));

        String map = "services:\n  web: {image: demo, labels: {a: b, c: d, e: f}}\n";
        assertEquals("services:\n  web: {image: demo, labels: {c: d}}\n", edit(map, Map.of(), List.of("a", "e")));
        assertEquals("services:\n  web: {image: demo, labels: {a: b, c: \"1\", e: f, x: z, \"y\": \"y\"}}\n",
                edit(map, Map.of("c", "1", "x", "z", "y", "y"), List.of()), "y alone is a YAML 1.1 boolean, as key or value");
    }

    @Test
    void anEmptyLabelsKeyGetsItsEntriesBelow() throws IOException {
        String before = "services:\n  web:\n    labels:\n    image: demo\n";
        assertEquals("services:\n  web:\n    labels:\n      a: b\n    image: demo\n", edit(before, Map.of("a", "b"), List.of()));
        String emptyValue = "services:\n  web:\n    labels:\n      a:\n      b: c\n";
        assertEquals("services:\n  web:\n    labels:\n      a: x\n      b: c\n", edit(emptyValue, Map.of("a", "x"), List.of()));
    }

    @Test
    void refusesWhatOtherServicesShare() throws IOException {
        String merged = "x-base: &base\n  labels: {a: b}\nservices:\n  web:\n    <<: *base\n    image: demo\n";
        DocksmithException e = assertThrows(DocksmithException.class, () -> edit(merged, Map.of("a", "c"), List.of()));
        assertTrue(e.getMessage().contains("merge key") && e.getMessage().contains("compose.yml"), e.getMessage());

        String alias = "x-labels: &labels {a: b}\nservices:\n  web:\n    labels: *labels\n";
        e = assertThrows(DocksmithException.class, () -> edit(alias, Map.of("a", "c"), List.of()));
        assertTrue(e.getMessage().contains("anchor"), e.getMessage());

        assertThrows(DocksmithException.class, () -> edit("services:\n  web:\n    image: x\n", Map.of("a b", "c"), List.of()));
        assertThrows(DocksmithException.class, () -> edit("services:\n  web:\n    image: x\n", Map.of("a", "line\nbreak"), List.of()));
    }

    @Test
    void eachLabelGoesToTheFileComposeReadsItFrom() throws IOException {
        Path base = write("compose.yml", "services:\n  web:\n    image: demo:1.0.0\n    labels:\n      a: \"1\"\n      b: \"2\"\n");
        Path override = write("compose.override.yml", "services:\n  web:\n    labels:\n      - b=3\n");
        Path other = write("compose.other.yml", "services:\n  db:\n    image: x\n");
        ComposeService service = new ComposeReader(Map.of()).read(new ComposeProject("proj", "web", dir,
                List.of(base, override, other), List.of(dir.resolve(".env"))));

        Map<Path, byte[]> out = editor.plan(service, Map.of("a", "10", "new", "n"), List.of("b"), ComposeLabelEditorTest::read);

        assertEquals(List.of(base, override), List.copyOf(out.keySet()));
        assertEquals("services:\n  web:\n    image: demo:1.0.0\n    labels:\n      a: \"10\"\n", text(out.get(base)));
        assertEquals("services:\n  web:\n    labels:\n      - new=n\n", text(out.get(override)), "new labels go to the last file declaring labels");
        assertEquals(Map.of(), editor.plan(service, Map.of("a", "1"), List.of("zzz"), ComposeLabelEditorTest::read),
                "nothing to change, no file");
    }

    @Test
    void withoutLabelsANewOneGoesWhereTheImageIs() throws IOException {
        Path base = write("compose.yml", "services:\n  web:\n    build: .\n");
        Path override = write("compose.prod.yml", "services:\n  web:\n    image: demo:1.0.0\n");
        ComposeService service = new ComposeReader(Map.of()).read(new ComposeProject("proj", "web", dir,
                List.of(base, override), List.of(dir.resolve(".env"))));
        Map<Path, byte[]> out = editor.plan(service, Map.of("a", "b"), List.of(), ComposeLabelEditorTest::read);
        assertEquals(List.of(override), List.copyOf(out.keySet()));
        assertEquals("services:\n  web:\n    image: demo:1.0.0\n    labels:\n      a: b\n", text(out.get(override)));
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }

    private static byte[] read(Path f) {
        try {
            return Files.readAllBytes(f);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static Map<?, ?> web(String yaml) {
        Map<?, ?> root = (Map<?, ?>) new Load(LoadSettings.builder().build()).loadFromString(yaml);
        return (Map<?, ?>) ((Map<?, ?>) root.get("services")).get("web");
    }
}
