package dev.docksmith.scripts;

import dev.docksmith.api.BadRequestException;
import dev.docksmith.api.ContainerInfo;
import dev.docksmith.api.NotFoundException;
import dev.docksmith.api.UpdateCandidate;
import dev.docksmith.api.Verdict;
import dev.docksmith.spi.DockerEngine;
import dev.docksmith.spi.EventSink;
import dev.docksmith.spi.PluginContext;
import dev.docksmith.spi.PreUpdateCheck;
import dev.docksmith.spi.Settings;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Real shell scripts in a temporary scripts directory. */
class ScriptsCheckTest {
    @TempDir
    Path tmp;
    Path dir;
    ScriptsCheck check;

    static final UpdateCandidate CANDIDATE = new UpdateCandidate(
            new ContainerInfo("abc123", "web", "nginx:1.24.0", "sha256:00", "running", Map.of(), Instant.EPOCH),
            "nginx:1.24.0", "1.24.0", "1.25.3");

    @BeforeEach
    void setUp() throws IOException {
        dir = Files.createDirectories(tmp.resolve("scripts"));
        check = new ScriptsCheck(dir, Duration.ofSeconds(10));
    }

    Path script(String name, String body) throws IOException {
        Path f = dir.resolve(name);
        Files.createDirectories(f.getParent());
        Files.writeString(f, "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwxr-xr-x"));
        return f;
    }

    @Test
    void isRegisteredForServiceLoader() {
        var found = ServiceLoader.load(PreUpdateCheck.class).stream().map(ServiceLoader.Provider::get).toList();
        assertEquals(List.of("scripts"), found.stream().map(PreUpdateCheck::name).toList());
    }

    @Test
    void exitZeroAllows() throws IOException {
        script("ok.sh", "echo all good\nexit 0\n");
        assertEquals(Verdict.allow(), check.run("ok.sh", CANDIDATE));
    }

    @Test
    void nonZeroBlocksWithTheLastOutputLinesAndExitCode() throws IOException {
        script("no.sh", """
                for i in 1 2 3 4 5 6 7; do echo "line $i"; done
                echo
                echo "   "
                echo "disk almost full" >&2
                echo "backup running"
                exit 3
                """);
        Verdict v = check.run("no.sh", CANDIDATE);
        assertFalse(v.allowed());
        assertEquals("pre-update script no.sh exited with code 3: line 5\nline 6\nline 7\ndisk almost full\nbackup running",
                v.reason());
    }

    @Test
    void silentFailureStillSaysWhy() throws IOException {
        script("quiet.sh", "exit 1\n");
        assertEquals("pre-update script quiet.sh exited with code 1", check.run("quiet.sh", CANDIDATE).reason());
    }

    @Test
    void seesTheContractEnvironmentOnlyAndRunsInTheScriptsDirectory() throws IOException {
        script("env.sh", "env | sort > \"$(pwd)/env.out\"\nexit 0\n");
        assertTrue(check.run("env.sh", CANDIDATE).allowed());
        List<String> env = Files.readAllLines(dir.resolve("env.out"));
        assertTrue(env.contains("CONTAINER_NAME=web"), env.toString());
        assertTrue(env.contains("CONTAINER_ID=abc123"), env.toString());
        assertTrue(env.contains("IMAGE=nginx:1.24.0"), env.toString());
        assertTrue(env.contains("CURRENT_VERSION=1.24.0"), env.toString());
        assertTrue(env.contains("TARGET_VERSION=1.25.3"), env.toString());
        assertTrue(env.stream().anyMatch(l -> l.startsWith("PATH=")), env.toString());
        assertTrue(env.stream().noneMatch(l -> l.startsWith("HOME=") || l.startsWith("JAVA_HOME=") || l.startsWith("MAVEN")),
                "Docksmith's own environment must not leak to scripts: " + env);
    }

    @Test
    void stdinIsClosed() throws IOException {
        script("stdin.sh", "if read line; then echo \"read: $line\"; exit 1; fi\nexit 0\n");
        assertEquals(Verdict.allow(), check.run("stdin.sh", CANDIDATE));
    }

    @Test
    void argumentsAreNotInterpretedByAShell() throws IOException {
        Path marker = tmp.resolve("marker");
        // A reference with shell syntax is only ever a file name: nothing runs, nothing is created.
        Verdict v = check.run("ok.sh; touch " + marker, CANDIDATE);
        assertFalse(v.allowed());
        assertFalse(Files.exists(marker));
    }

    @Test
    void timeoutKillsTheScriptAndItsChildren() throws IOException, InterruptedException {
        script("slow.sh", """
                sleep 300 &
                echo $! > "$(pwd)/child.pid"
                echo "waiting for the database"
                sleep 300
                """);
        ScriptsCheck quick = new ScriptsCheck(dir, Duration.ofSeconds(1));
        long t0 = System.nanoTime();
        Verdict v = quick.run("slow.sh", CANDIDATE);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertFalse(v.allowed());
        assertEquals("pre-update script slow.sh timed out after 1s: waiting for the database", v.reason());
        assertTrue(ms < 8000, "returned after " + ms + " ms; a child holding the output pipe must not keep it waiting");
        long child = Long.parseLong(Files.readString(dir.resolve("child.pid")).trim());
        assertTrue(eventuallyDead(child), "the background child " + child + " was left running");
    }

    /** Killed processes may linger as zombies when nothing reaps them; those count as dead. */
    static boolean eventuallyDead(long pid) throws InterruptedException {
        for (int i = 0; i < 50; i++) {
            Path stat = Path.of("/proc/" + pid + "/stat");
            try {
                String s = Files.readString(stat);
                if (s.substring(s.lastIndexOf(')') + 2).startsWith("Z")) {
                    return true;
                }
            } catch (IOException gone) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }

    @Test
    void referencesOutsideTheDirectoryAreRefused() throws IOException {
        Path outside = tmp.resolve("outside.sh");
        Files.writeString(outside, "#!/bin/sh\nexit 0\n");
        Files.setPosixFilePermissions(outside, PosixFilePermissions.fromString("rwxr-xr-x"));
        for (String ref : List.of("../outside.sh", "sub/../../outside.sh", outside.toString(), "/etc/passwd", "/bin/sh", dir + "/../outside.sh")) {
            var e = assertThrows(BadRequestException.class, () -> check.resolve(ref), ref);
            assertTrue(e.getMessage().contains("outside the scripts directory"), e.getMessage());
            Verdict v = check.run(ref, CANDIDATE);
            assertFalse(v.allowed(), ref);
            assertTrue(v.reason().contains("outside the scripts directory"), v.reason());
        }
        assertThrows(BadRequestException.class, () -> check.resolve(""));
        assertThrows(BadRequestException.class, () -> check.resolve("bad\0name"));
    }

    @Test
    void absoluteAndRelativeReferencesInsideResolveToOneName() throws IOException {
        script("sub/check.sh", "exit 0\n");
        assertEquals("sub/check.sh", check.resolve("sub/check.sh"));
        assertEquals("sub/check.sh", check.resolve("./sub/../sub/check.sh"));
        assertEquals("sub/check.sh", check.resolve(dir.resolve("sub/check.sh").toString()));
        assertTrue(check.run(dir.resolve("sub/check.sh").toString(), CANDIDATE).allowed());
    }

    @Test
    void absolutePathThroughTheRealDirectoryIsInside() throws IOException {
        script("real.sh", "exit 0\n");
        Path alias = Files.createSymbolicLink(tmp.resolve("alias"), dir);
        ScriptsCheck viaAlias = new ScriptsCheck(alias, Duration.ofSeconds(5));
        assertEquals("real.sh", viaAlias.resolve(alias.resolve("real.sh").toString()));
        assertEquals("real.sh", viaAlias.resolve(dir.toRealPath().resolve("real.sh").toString()));
        assertEquals(List.of("real.sh"), viaAlias.available());
    }

    @Test
    void symlinksLeadingOutAreRefusedAndNeverRun() throws IOException {
        Path outsideDir = Files.createDirectories(tmp.resolve("elsewhere"));
        Path marker = tmp.resolve("ran");
        Path evil = outsideDir.resolve("evil.sh");
        Files.writeString(evil, "#!/bin/sh\ntouch " + marker + "\nexit 0\n");
        Files.setPosixFilePermissions(evil, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createSymbolicLink(dir.resolve("link.sh"), evil);
        Files.createSymbolicLink(dir.resolve("linkdir"), outsideDir);
        for (String ref : List.of("link.sh", "linkdir/evil.sh", dir.resolve("link.sh").toString())) {
            var e = assertThrows(BadRequestException.class, () -> check.resolve(ref), ref);
            assertTrue(e.getMessage().contains("outside the scripts directory"), e.getMessage());
            assertFalse(check.run(ref, CANDIDATE).allowed());
        }
        assertFalse(Files.exists(marker), "a script outside the directory ran");
        assertFalse(check.available().contains("link.sh"));
        assertFalse(check.available().contains("linkdir/evil.sh"));
    }

    @Test
    void symlinkInsideTheDirectoryIsFine() throws IOException {
        script("v2.sh", "exit 0\n");
        Files.createSymbolicLink(dir.resolve("current.sh"), Path.of("v2.sh"));
        assertEquals("current.sh", check.resolve("current.sh"));
        assertTrue(check.run("current.sh", CANDIDATE).allowed());
    }

    @Test
    void missingNotExecutableAndDirectoriesAreNotFound() throws IOException {
        Files.writeString(dir.resolve("plain.sh"), "#!/bin/sh\nexit 0\n");
        Files.createDirectories(dir.resolve("folder"));
        for (String ref : List.of("missing.sh", "plain.sh", "folder", ".", dir.toString())) {
            assertThrows(NotFoundException.class, () -> check.resolve(ref), ref);
            assertFalse(check.run(ref, CANDIDATE).allowed(), ref);
        }
        assertTrue(check.run("plain.sh", CANDIDATE).reason().contains("not an executable file"));
    }

    @Test
    void aScriptThatCannotStartBlocksWithWhy() throws IOException {
        script("broken.sh", "exit 0\n");
        Files.writeString(dir.resolve("broken.sh"), "#!/nonexistent/interpreter\nexit 0\n");
        Verdict v = check.run("broken.sh", CANDIDATE);
        assertFalse(v.allowed());
        assertTrue(v.reason().startsWith("pre-update script broken.sh could not be started: "), v.reason());
    }

    @Test
    void hugeOutputIsBoundedAndTheEndSurvives() throws IOException {
        script("loud.sh", """
                i=0
                while [ $i -lt 3000 ]; do echo "noise noise noise noise noise noise noise noise noise noise $i"; i=$((i+1)); done
                head -c 2000 /dev/zero | tr '\\0' x
                echo
                echo "the real reason"
                exit 2
                """);
        Verdict v = check.run("loud.sh", CANDIDATE);
        assertFalse(v.allowed());
        assertTrue(v.reason().endsWith("the real reason"), v.reason());
        assertTrue(v.reason().contains("x".repeat(OutputTail.MAX_LINE) + "..."), "a long line is cut");
        assertTrue(v.reason().length() < 2000, "reason length " + v.reason().length());
    }

    @Test
    void availableListsExecutablesRecursivelySorted() throws IOException {
        script("b.sh", "exit 0\n");
        script("a.sh", "exit 0\n");
        script("db/backup-check", "exit 0\n");
        script(".git/hooks/pre-commit", "exit 0\n");
        script(".hidden.sh", "exit 0\n");
        Files.writeString(dir.resolve("README.md"), "not a script");
        Files.createDirectories(dir.resolve("empty"));
        assertEquals(List.of("a.sh", "b.sh", "db/backup-check"), check.available());
        for (String name : check.available()) {
            assertEquals(name, check.resolve(name), "every listed name resolves to itself");
        }
        assertEquals(List.of(), new ScriptsCheck(tmp.resolve("nope"), Duration.ofSeconds(1)).available());
    }

    @Test
    void startReadsTheSettings() throws IOException {
        Path other = Files.createDirectories(tmp.resolve("other"));
        Files.writeString(other.resolve("x.sh"), "#!/bin/sh\nsleep 5\n");
        Files.setPosixFilePermissions(other.resolve("x.sh"), PosixFilePermissions.fromString("rwxr-xr-x"));
        ScriptsCheck c = new ScriptsCheck();
        c.start(context(Map.of(ScriptsCheck.DIR_SETTING, other.toString(), ScriptsCheck.TIMEOUT_SETTING, "500ms")));
        assertEquals(List.of("x.sh"), c.available());
        assertEquals("pre-update script x.sh timed out after 500ms", c.run("x.sh", CANDIDATE).reason());

        var bad = assertThrows(IllegalArgumentException.class,
                () -> new ScriptsCheck().start(context(Map.of(ScriptsCheck.TIMEOUT_SETTING, "soon"))));
        assertTrue(bad.getMessage().startsWith(ScriptsCheck.TIMEOUT_SETTING), bad.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new ScriptsCheck().start(context(Map.of(ScriptsCheck.TIMEOUT_SETTING, "0"))));
    }

    /** What can be assigned is what GET /api/scripts lists: hidden files were assignable but not listed. */
    @Test
    void hiddenScriptsAreNeitherListedNorAssignableNorRun() throws IOException {
        script("visible.sh", "exit 0\n");
        script(".hidden.sh", "exit 0\n");
        script(".git/hooks/pre-commit.sample", "exit 0\n");
        script("group/.swap.sh", "exit 0\n");
        assertEquals(List.of("visible.sh"), check.available());
        for (String hidden : List.of(".hidden.sh", ".git/hooks/pre-commit.sample", "group/.swap.sh", dir.resolve(".hidden.sh").toString())) {
            var e = assertThrows(BadRequestException.class, () -> check.resolve(hidden), hidden);
            assertTrue(e.getMessage().contains("is hidden"), e.getMessage());
            Verdict v = check.run(hidden, CANDIDATE); // assigned before this change, by label or API: blocked, saying why
            assertFalse(v.allowed(), hidden);
            assertTrue(v.reason().contains("is hidden"), v.reason());
        }
        assertEquals("visible.sh", check.resolve("visible.sh"));
    }

    @Test
    void defaultsAreTheDocumentedOnes() {
        ScriptsCheck c = new ScriptsCheck();
        c.start(context(Map.of()));
        assertEquals("scripts", c.name());
        assertThrows(BadRequestException.class, () -> c.resolve("../x"));
        assertEquals(Duration.ofSeconds(30), ScriptsCheck.DEFAULT_TIMEOUT);
        assertEquals(Path.of("data", "scripts"), ScriptsCheck.DEFAULT_DIR);
    }

    /** Run from a checkout, ./scripts was the project's own (start.sh, test.sh): listed as checks, assignable. */
    @Test
    void withoutASettingTheScriptsAreThoseInTheDataDirectoryNotTheWorkingDirectorysScripts() throws IOException {
        script("own-check.sh", "exit 0\n"); // tmp/scripts: a "scripts" folder beside the data directory
        Path data = tmp.resolve("data");
        Path inData = Files.createDirectories(data.resolve("scripts")).resolve("in-data.sh");
        Files.writeString(inData, "#!/bin/sh\nexit 0\n");
        Files.setPosixFilePermissions(inData, PosixFilePermissions.fromString("rwx------"));
        ScriptsCheck c = new ScriptsCheck();
        c.start(context(Map.of(ScriptsCheck.DATA_SETTING, data.toString())));
        assertEquals(List.of("in-data.sh"), c.available());
    }

    static PluginContext context(Map<String, String> values) {
        Settings settings = name -> Optional.ofNullable(values.get(name));
        return new PluginContext() {
            @Override
            public Settings settings() {
                return settings;
            }

            @Override
            public DockerEngine docker() {
                throw new UnsupportedOperationException("scripts must not need the engine");
            }

            @Override
            public EventSink events() {
                return e -> { };
            }

            @Override
            public Clock clock() {
                return Clock.systemUTC();
            }
        };
    }
}
