package dev.docksmith.dist;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.docksmith.dist.EndToEnd.JAR;
import static dev.docksmith.dist.EndToEnd.awaitHealthy;
import static dev.docksmith.dist.EndToEnd.freePort;
import static dev.docksmith.dist.EndToEnd.get;
import static dev.docksmith.dist.EndToEnd.java;
import static dev.docksmith.dist.EndToEnd.requireEngine;
import static dev.docksmith.dist.EndToEnd.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fat jar as a process, for what only shows from outside: the modes of what it writes, what it
 * refuses before creating anything, and what it does right after start-up.
 */
class HardeningIT {
    final List<Process> processes = new ArrayList<>();
    String container;

    @AfterEach
    void cleanUp() {
        processes.forEach(Process::destroyForcibly);
        if (container != null) {
            run("docker", "rm", "-f", container);
        }
    }

    /**
     * Update plans hold compose files' bytes, which often hold passwords: the data directory is for
     * Docksmith's user only, whatever the umask (this test's is the usual 022), and one created open
     * by hand (mkdir under umask 022) is closed at start-up, saying so.
     */
    @Test
    void theDataDirectoryAndTheStoreFilesAreForTheirOwnerOnly(@TempDir Path dir) throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-xr-x"));
        int port = freePort();
        Path log = dir.resolve("docksmith.log");
        Process p = start(log, "--port", String.valueOf(port), "--data", data.toString(), "--check-interval", "0");
        awaitHealthy(port, p, log);
        FatJarEndToEndIT.awaitLogLine(log, "Docksmith", "started"); // the store is open

        assertEquals("rwx------", mode(data));
        FatJarEndToEndIT.awaitLogLine(log, "WARNING", data.toString(), "was open to other users (rwxr-xr-x)", "rwx------");
        Path xodus = data.resolve("xodus");
        assertEquals("rwx------", mode(xodus));
        List<Path> files;
        try (var list = Files.list(xodus)) {
            files = list.toList();
        }
        assertFalse(files.isEmpty());
        for (Path f : files) {
            assertEquals("------", mode(f).substring(3), f + " is " + mode(f));
        }
    }

    /**
     * Anyone who reaches the API controls the Docker host: an address other hosts can reach, without a
     * token, stops start-up like any bad setting (exit 2, nothing created), naming both ways out.
     */
    @Test
    void anOpenBindWithoutATokenIsRefusedBeforeAnythingIsCreated(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data");
        Path log = dir.resolve("refused.log");
        Process p = start(log, "--bind", "0.0.0.0", "--port", String.valueOf(freePort()), "--data", data.toString());
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "exits");
        String output = Files.readString(log);
        assertEquals(2, p.exitValue(), output);
        assertTrue(output.contains("DOCKSMITH_API_TOKEN") && output.contains("DOCKSMITH_ALLOW_NO_AUTH=true")
                && output.contains("--allow-no-auth"), output);
        assertFalse(Files.exists(data), "nothing was created: " + output);

        // The explicit opt-out, for those whose own proxy authenticates: it starts, and still warns.
        int port = freePort();
        Path allowedLog = dir.resolve("allowed.log");
        Process allowed = start(allowedLog, "--bind", "0.0.0.0", "--allow-no-auth", "--port", String.valueOf(port),
                "--data", data.toString(), "--check-interval", "0");
        awaitHealthy(port, allowed, allowedLog);
        FatJarEndToEndIT.awaitLogLine(allowedLog, "WARNING", "without DOCKSMITH_API_TOKEN");
    }

    /**
     * Run from the checkout, as scripts/start.sh does, the default scripts directory was the project's
     * own scripts/: GET /api/scripts listed start.sh, test.sh and test-env.sh as pre-update checks.
     */
    @Test
    void runFromTheCheckoutTheProjectsOwnScriptsAreNotPreUpdateChecks(@TempDir Path dir) throws Exception {
        Path checkout = Path.of("..").toAbsolutePath().normalize();
        assertTrue(Files.isExecutable(checkout.resolve("scripts/start.sh")), "run from the checkout");
        int port = freePort();
        Path log = dir.resolve("docksmith.log");
        Process p = start(checkout, log, "--port", String.valueOf(port), "--data", dir.resolve("data").toString(),
                "--check-interval", "0");
        awaitHealthy(port, p, log);
        JsonNode scripts = get(port, "/api/scripts").path("data");
        assertEquals(0, scripts.path("count").asInt(), scripts.toString());
        FatJarEndToEndIT.awaitLogLine(log, "pre-update scripts from " + dir.resolve("data").resolve("scripts"));
    }

    /**
     * The first background check runs right after start-up, then every CHECK_INTERVAL: it used to wait
     * one interval, so /api/status said total_checked 0 for the first five minutes (here an hour).
     */
    @Test
    void theFirstBackgroundCheckRunsRightAfterStartUp(@TempDir Path dir) throws Exception {
        requireEngine();
        container = "hardening-" + Long.toString(System.nanoTime(), 36);
        assertEquals(0, run("docker", "run", "-d", "--name", container, "--label", "dev.docksmith.test=true",
                "--network", "none", "localhost:5000/docksmith/demo:1.0.0").exit());
        int port = freePort();
        Path log = dir.resolve("docksmith.log");
        Process p = start(log, "--port", String.valueOf(port), "--data", dir.resolve("data").toString(), "--check-interval", "1h");
        awaitHealthy(port, p, log);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        JsonNode status = get(port, "/api/status").path("data");
        while (!(checked(status) && !status.path("check_running").asBoolean()) && System.nanoTime() < deadline) {
            Thread.sleep(200);
            status = get(port, "/api/status").path("data");
        }
        assertTrue(checked(status), "a check ran within a minute of start-up: " + status);
        Instant next = Instant.parse(status.path("next_background_run").asText());
        long deadlineNext = System.nanoTime() + TimeUnit.SECONDS.toNanos(5); // set once the run has ended
        while (next.isBefore(Instant.now().plus(Duration.ofMinutes(50))) && System.nanoTime() < deadlineNext) {
            Thread.sleep(100);
            next = Instant.parse(get(port, "/api/status").path("data").path("next_background_run").asText());
        }
        assertTrue(next.isAfter(Instant.now().plus(Duration.ofMinutes(50))), "then one interval later: " + next);
    }

    private static boolean checked(JsonNode status) {
        return status.path("total_checked").asInt() >= 1 && !status.path("last_background_run").isNull();
    }

    Process start(Path log, String... args) throws IOException {
        return start(null, log, args);
    }

    /** The jar in {@code workingDir} (null: this one), output and errors to {@code log}. */
    Process start(Path workingDir, Path log, String... args) throws IOException {
        List<String> command = new ArrayList<>(java("-jar", JAR.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        if (workingDir != null) {
            pb.directory(workingDir.toFile());
        }
        Process p = pb.start();
        processes.add(p);
        return p;
    }

    static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }
}
