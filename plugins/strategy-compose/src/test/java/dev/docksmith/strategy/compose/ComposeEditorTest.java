package dev.docksmith.strategy.compose;

import dev.docksmith.api.DocksmithException;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Edits real files in temporary directories and compares them byte for byte. */
class ComposeEditorTest {
    @TempDir
    Path dir;

    private final ComposeEditor editor = new ComposeEditor();

    static final String RICH = """
            # Tést stack — ünïcode before the image line 🚀 (a surrogate pair)
            x-common: &common
              restart: unless-stopped
              labels: {team: "ops", note: 'it''s fine'}   # flow style
            services:
              db:
                <<: *common
                image: 'postgres:16.1'        # single quoted
              web:
                <<: *common
                image: "nginx:1.25.3"   # double quoted
                ports: ["8080:80"]
              cache: {image: redis:7.2.3, command: [redis-server, --save, ""]}
              other:
                image: nginx:1.25.3
                environment:
                  - "IMAGE=nginx:1.25.3"
            """;

    private Path write(String name, String content) throws IOException {
        Path f = dir.resolve(name);
        Files.write(f, content.getBytes(StandardCharsets.UTF_8));
        return f;
    }

    private ComposeService read(String service, Map<String, String> env, Path... files) {
        return new ComposeReader(env).read(new ComposeProject("proj", service, dir, List.of(files), List.of(dir.resolve(".env"))));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @ParameterizedTest(name = "{0} -> {1} ({4})")
    @CsvSource(delimiter = '|', value = {
            "web|nginx:1.26.0|image: \"nginx:1.25.3\"|image: \"nginx:1.26.0\"|LF",
            "web|nginx:1.26.0|image: \"nginx:1.25.3\"|image: \"nginx:1.26.0\"|CRLF",
            "db|docker.io/library/postgres:16.2|image: 'postgres:16.1'|image: 'docker.io/library/postgres:16.2'|LF",
            "db|postgres:16.2|image: 'postgres:16.1'|image: 'postgres:16.2'|CRLF",
            "cache|redis:7.2.4|image: redis:7.2.3,|image: redis:7.2.4,|CRLF",
            "other|nginx:1.26.0@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef|'    image: nginx:1.25.3'|'    image: nginx:1.26.0@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef'|LF",
    })
    void onlyTheImageCharactersChange(String service, String newImage, String before, String after, String eol) throws IOException {
        String original = eol.equals("CRLF") ? RICH.replace("\n", "\r\n") : RICH;
        String from = eol.equals("CRLF") ? before.replace("\n", "\r\n") : before;
        String to = eol.equals("CRLF") ? after.replace("\n", "\r\n") : after;
        assertEquals(original.indexOf(from), original.lastIndexOf(from), "fixture: the fragment is unique");
        String expected = original.replace(from, to);
        Path f = write("compose.yml", original);

        ComposeEdit edit = editor.plan(read(service, Map.of(), f), newImage);
        assertEquals(f, edit.file());
        assertEquals(ComposeEdit.Target.COMPOSE_IMAGE, edit.target());
        assertArrayEquals(utf8(original), edit.previousBytes());
        assertArrayEquals(utf8(original), Files.readAllBytes(f), "planning writes nothing");
        editor.apply(edit);

        assertArrayEquals(utf8(expected), Files.readAllBytes(f));
        assertEquals(newImage, read(service, Map.of(), f).image());
        if (service.equals("web")) {
            assertEquals("1.25.3", edit.oldText());
            assertEquals("1.26.0", edit.newText());
            assertEquals(11, edit.line());
        }
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(f), s.toList(), "no temporary file is left");
        }
    }

    @Test
    void byteOrderMarkAndMissingFinalNewlineStay() throws IOException {
        String original = "\uFEFFservices:\r\n  web:\r\n    image: nginx:1.25.3";
        Path f = write("compose.yml", original);
        editor.apply(editor.plan(read("web", Map.of(), f), "nginx:1.26.0"));
        assertArrayEquals(utf8("\uFEFFservices:\r\n  web:\r\n    image: nginx:1.26.0"), Files.readAllBytes(f));
    }

    @Test
    void editsTheEnvFileValueOnly() throws IOException {
        String compose = "services:\n  web:\n    image: \"nginx:${NGINX_TAG}\"  # tag in .env\n";
        String env = "# pinned versions\r\nexport NGINX_TAG=\"1.25.3\"   # keep quoted\r\nOTHER=1.25.3\r\n";
        Path f = write("compose.yml", compose);
        Path e = write(".env", env);

        ComposeEdit edit = editor.plan(read("web", Map.of(), f), "nginx:1.26.0");
        assertEquals(e, edit.file());
        assertEquals(ComposeEdit.Target.ENV_FILE, edit.target());
        assertEquals(2, edit.line());
        editor.apply(edit);

        assertArrayEquals(utf8(compose), Files.readAllBytes(f), "the compose file is untouched");
        assertArrayEquals(utf8(env.replace("\"1.25.3\"", "\"1.26.0\"")), Files.readAllBytes(e));
        assertEquals("nginx:1.26.0", read("web", Map.of(), f).image());
    }

    @Test
    void wholeReferenceInEnvFileWithNewRepository() throws IOException {
        Path f = write("compose.yml", "services:\n  web:\n    image: ${IMAGE:-nginx:1.0}\n");
        Path e = write(".env", "IMAGE=nginx:1.25.3 # plain\n");
        editor.apply(editor.plan(read("web", Map.of(), f), "ghcr.io/acme/nginx:1.26.0"));
        assertEquals("IMAGE=ghcr.io/acme/nginx:1.26.0 # plain\n", Files.readString(e));
        assertEquals("services:\n  web:\n    image: ${IMAGE:-nginx:1.0}\n", Files.readString(f));
    }

    @Test
    void editsTheDefaultInTheTemplate() throws IOException {
        String compose = "services:\n  web:\n    # default below\n    image: 'nginx:${TAG:-1.25.3}'\n";
        Path f = write("compose.yml", compose);
        ComposeEdit edit = editor.plan(read("web", Map.of(), f), "nginx:1.26.0");
        assertEquals(ComposeEdit.Target.COMPOSE_DEFAULT, edit.target());
        editor.apply(edit);
        assertEquals(compose.replace("1.25.3", "1.26.0"), Files.readString(f));
    }

    @Test
    void refusesAVariableFromTheEnvironment() throws IOException {
        Path f = write("compose.yml", "services:\n  web:\n    image: nginx:${TAG:-1.0}\n");
        DocksmithException e = assertThrows(DocksmithException.class,
                () -> editor.plan(read("web", Map.of("TAG", "1.25.3"), f), "nginx:1.26.0"));
        assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("TAG") && e.getMessage().contains("environment"), e.getMessage());
    }

    @Test
    void refusesAFileChangedSinceRead() throws IOException {
        Path f = write("compose.yml", "services:\n  web:\n    image: nginx:1.25.3\n");
        ComposeService s = read("web", Map.of(), f);
        write("compose.yml", "services:\n  web:\n    image: nginx:1.25.4\n");
        DocksmithException e = assertThrows(DocksmithException.class, () -> editor.plan(s, "nginx:1.26.0"));
        assertTrue(e.getMessage().contains("changed since it was read") && e.getMessage().contains(f.toString()), e.getMessage());

        // Changed between plan and apply, even elsewhere in the file: not overwritten.
        ComposeEdit edit = editor.plan(read("web", Map.of(), f), "nginx:1.26.0");
        String edited = "# someone else's comment\nservices:\n  web:\n    image: nginx:1.25.4\n";
        write("compose.yml", edited);
        e = assertThrows(DocksmithException.class, () -> editor.apply(edit));
        assertTrue(e.getMessage().contains("changed since it was read") && e.getMessage().contains(f.toString()), e.getMessage());
        assertEquals(edited, Files.readString(f));
        try (Stream<Path> list = Files.list(dir)) {
            assertEquals(List.of(f), list.toList());
        }
    }

    @Test
    void refusesAnUnwritableDirectoryBeforeChangingAnything() throws Exception {
        String original = "services:\n  web:\n    image: nginx:1.25.3\n";
        Path f = write("compose.yml", original);
        ComposeEdit edit = editor.plan(read("web", Map.of(), f), "nginx:1.26.0");
        Process p = new ProcessBuilder("chattr", "+i", dir.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            System.err.println("*** SKIPPING refusesAnUnwritableDirectoryBeforeChangingAnything: chattr +i failed: " + out.trim());
            Assumptions.abort("chattr +i is not available here: " + out.trim());
        }
        try {
            DocksmithException e = assertThrows(DocksmithException.class, () -> editor.checkWritable(edit));
            assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
            e = assertThrows(DocksmithException.class, () -> editor.apply(edit));
            assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains("cannot be rewritten"), e.getMessage());
            assertEquals(original, Files.readString(f));
            try (Stream<Path> list = Files.list(dir)) {
                assertEquals(List.of(f), list.toList());
            }
        } finally {
            new ProcessBuilder("chattr", "-i", dir.toString()).start().waitFor();
        }
    }

    @Test
    void restoreRoundTripKeepsPermissionsAndSymlinks() throws IOException {
        Path realDir = Files.createDirectories(dir.resolve("real"));
        Path real = realDir.resolve("compose.yml");
        String original = "services:\r\n  web:\r\n    image: \"nginx:1.25.3\" # x\r\n";
        Files.writeString(real, original);
        Files.setPosixFilePermissions(real, PosixFilePermissions.fromString("rw-r-----"));
        Path link = Files.createSymbolicLink(dir.resolve("compose.yml"), real);
        Files.writeString(realDir.resolve(".compose.yml.docksmith-stale.tmp"), "left by a crash");

        ComposeEdit edit = editor.plan(read("web", Map.of(), link), "nginx:1.26.0");
        byte[] previous = edit.previousBytes();
        editor.apply(edit);
        assertTrue(Files.isSymbolicLink(link), "the link stays a link");
        assertEquals(original.replace("1.25.3", "1.26.0"), Files.readString(real));
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(real)));
        try (Stream<Path> list = Files.list(realDir)) {
            assertEquals(List.of(real), list.toList(), "the stale temporary file is removed");
        }

        editor.restore(link, previous);
        assertArrayEquals(utf8(original), Files.readAllBytes(real));
        assertTrue(Files.isSymbolicLink(link));
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(real)));
        assertEquals("nginx:1.25.3", read("web", Map.of(), link).image());
    }

    @Test
    void refusesWhatCannotBeEditedInPlace() throws IOException {
        Path f = write("compose.yml", "services:\n  web:\n    image: ${REPO}:${TAG}\n");
        write(".env", "REPO=nginx\nTAG=1.25.3\n");
        DocksmithException e = assertThrows(DocksmithException.class, () -> editor.plan(read("web", Map.of(), f), "httpd:2.4"));
        assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
        // The tag alone lies in one variable: fine.
        editor.apply(editor.plan(read("web", Map.of(), f), "nginx:1.26.0"));
        assertEquals("REPO=nginx\nTAG=1.26.0\n", Files.readString(dir.resolve(".env")));
        assertThrows(DocksmithException.class, () -> editor.plan(read("web", Map.of(), f), "nginx:$(rm -rf)"));
    }

    /** Kills a child JVM mid-rewrite again and again: the file is always the old or the new content. */
    @Test
    void aKilledWriterNeverLeavesAPartialFile() throws Exception {
        StringBuilder padding = new StringBuilder();
        for (int i = 0; i < 4000; i++) {
            padding.append("# padding line ").append(i).append(" so that a write takes a while ✓\r\n");
        }
        String a = "nginx:1.25.3";
        String b = "nginx:1.26.0-alpine-with-a-longer-tag";
        String contentA = padding + "services:\r\n  web:\r\n    image: \"" + a + "\"\r\n" + padding;
        String contentB = contentA.replace(a, b);
        Path f = write("compose.yml", contentA);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Random random = new Random(42);
        int sawA = 0;
        int sawB = 0;
        for (int round = 0; round < 15; round++) {
            Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    ComposeEditorCrashChild.class.getName(), f.toString(), a, b).redirectErrorStream(true).start();
            try {
                BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
                String line = r.readLine();
                assertEquals("ready", line, "child did not start");
                Thread.sleep(random.nextInt(200));
            } finally {
                child.destroyForcibly();
                assertTrue(child.waitFor(20, TimeUnit.SECONDS));
            }
            String now = Files.readString(f);
            assertTrue(now.equals(contentA) || now.equals(contentB), "round " + round + ": partial file of " + now.length() + " chars");
            if (now.equals(contentA)) {
                sawA++;
            } else {
                sawB++;
            }
        }
        assertTrue(sawA + sawB == 15);
        // The next write cleans up whatever temporary file a kill left.
        ComposeService s = read("web", Map.of(), f);
        editor.apply(editor.plan(s, s.image().equals(a) ? b : a));
        List<Path> left = new ArrayList<>();
        try (Stream<Path> list = Files.list(dir)) {
            list.forEach(left::add);
        }
        assertEquals(List.of(f), left);
        System.out.println("crash test: " + sawA + " rounds ended on the old content, " + sawB + " on the new");
    }
}
