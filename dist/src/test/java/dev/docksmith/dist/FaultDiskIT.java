package dev.docksmith.dist;

import com.fasterxml.jackson.databind.JsonNode;
import dev.docksmith.dist.EndToEnd.Result;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static dev.docksmith.dist.EndToEnd.JAR;
import static dev.docksmith.dist.EndToEnd.JSON;
import static dev.docksmith.dist.EndToEnd.awaitHealthy;
import static dev.docksmith.dist.EndToEnd.freePort;
import static dev.docksmith.dist.EndToEnd.java;
import static dev.docksmith.dist.EndToEnd.require;
import static dev.docksmith.dist.EndToEnd.requireEngine;
import static dev.docksmith.dist.EndToEnd.run;
import static dev.docksmith.dist.EndToEnd.send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Disk fault: the data directory becomes read-only, for root too ({@code chattr -R +i}: mode bits do not
 * stop root, and a read-only bind mount does not stop writes through files Xodus already holds open),
 * while the real jar runs with its real Xodus store. Every state-changing route must then fail with
 * {@code 500 STORAGE_ERROR} saying the store cannot be written, before it touches anything: the engine
 * reports no event for the test's containers, network, volume and image, and their state and the
 * compose file are unchanged. Reads keep answering. Once the directory is writable again, the same
 * process changes state again (no restart), and what it records is durable.
 *
 * <p>Here rather than in docksmith-runtime: the runtime's test class path has no store plugin on purpose
 * (its tests pass an in-memory store, and PluginDirectoryTest asserts the exact store plugins found there),
 * while this module is the shipped assembly with storage-xodus, both compose flavours' strategy and the JVM
 * flags users run.
 */
class FaultDiskIT {
    static final String DEMO = "localhost:5000/docksmith/demo";
    static final String RUN = Long.toString(System.nanoTime(), 36);
    static final Set<String> TERMINAL = Set.of("complete", "failed", "rolled_back");

    final List<Process> processes = new ArrayList<>();
    final List<List<String>> cleanUps = new ArrayList<>();
    Path dir;
    Path data;
    boolean immutable;
    List<String> compose;

    @AfterEach
    void cleanUp() {
        if (immutable) {
            Result r = run("chattr", "-R", "-i", data.toString());
            if (r.exit() != 0) {
                System.err.println("*** could not make " + data + " writable again, run chattr -R -i on it: " + r.output());
            }
        }
        processes.forEach(Process::destroyForcibly);
        awaitEngine(); // another test on this host may be restarting dockerd: clean up once it is back
        if (compose != null) {
            composeCommand("down", "-t", "0", "--remove-orphans");
        }
        cleanUps.forEach(c -> run(c.toArray(String[]::new)));
    }

    @Test
    void aReadOnlyDataDirectoryRefusesEveryChangeBeforeItHappensAndRecoversWithoutRestart(@TempDir Path tmp) throws Exception {
        requireEngine();
        dir = tmp;
        data = dir.resolve("data");
        Path probe = Files.createTempFile(dir, "chattr", ".probe");
        Result immutableWorks = run("chattr", "+i", probe.toString());
        run("chattr", "-i", probe.toString());
        require("chattr +i (root on a file system with the immutable flag)", immutableWorks);
        compose = new ArrayList<>(List.of("docker", "compose"));
        require("docker compose", composeCommand("version"));

        // A compose service, a standalone container, a stopped one, an unused network, volume and image tag:
        // something for every route (and every prune) to change if it went ahead.
        Path file = dir.resolve("docker-compose.yml");
        String original = """
                # disk fault test: these bytes must not change while the store is read-only
                services:
                  web:
                    image: %1$s:1.0.0
                    network_mode: none
                    labels:
                      dev.docksmith.test: "true"
                  mis:
                    image: %1$s:1.0.0 # then 1.1.0 in the file only: a compose mismatch
                    network_mode: none
                    labels:
                      dev.docksmith.test: "true"
                """.formatted(DEMO);
        Files.writeString(file, original);
        String project = "faultdisk" + RUN;
        compose.addAll(List.of("-p", project, "-f", file.toString()));
        Result up = composeCommand("up", "-d");
        assertEquals(0, up.exit(), up.output());
        String mismatched = original.replace(DEMO + ":1.0.0 # then", DEMO + ":1.1.0 # then");
        Files.writeString(file, mismatched);
        String web = project + "-web-1";
        String mis = project + "-mis-1";
        String solo = "faultdisk-solo-" + RUN;
        String stopped = "faultdisk-stopped-" + RUN;
        String network = "faultdisk-net-" + RUN;
        String volume = "faultdisk-vol-" + RUN;
        String image = "faultdisk-img-" + RUN + ":keep";
        docker("run", "-d", "--name", solo, "--label", "dev.docksmith.test=true", "--network", "none", DEMO + ":1.0.0");
        cleanUps.add(List.of("docker", "rm", "-f", solo));
        docker("create", "--name", stopped, "--label", "dev.docksmith.test=true", "--network", "none", DEMO + ":1.0.0");
        cleanUps.add(List.of("docker", "rm", "-f", stopped));
        docker("network", "create", "--label", "dev.docksmith.test=true", network);
        cleanUps.add(List.of("docker", "network", "rm", network));
        docker("volume", "create", "--label", "dev.docksmith.test=true", volume);
        cleanUps.add(List.of("docker", "volume", "rm", "-f", volume));
        docker("tag", DEMO + ":1.0.0", image);
        cleanUps.add(List.of("docker", "rmi", image));
        Path scripts = Files.createDirectories(dir.resolve("scripts"));
        Path check = Files.writeString(scripts.resolve("check.sh"), "#!/bin/sh\nexit 0\n");
        Files.setPosixFilePermissions(check, PosixFilePermissions.fromString("rwxr-xr-x"));

        int port = freePort();
        Process docksmith = start(port, scripts);
        awaitHealthy(port, docksmith, dir.resolve("docksmith.log"));
        JsonNode config = ok(port, "GET", "/api/docker-config", null);
        assertTrue(config.path("store").path("persistent").asBoolean(), "the real Xodus store: " + config);

        // Writable: an update to roll back later, and a script assignment to remove later.
        String update = awaitOperation(port, started(port, "/api/update", "{\"container\":\"" + web + "\",\"version\":\"1.1.0\"}"));
        ok(port, "POST", "/api/scripts/assign", "{\"container\":\"" + solo + "\",\"script\":\"check.sh\"}");
        JsonNode misCheck = ok(port, "GET", "/api/container/" + mis + "/recheck", null);
        assertEquals("COMPOSE_MISMATCH", misCheck.path("status").asText(), misCheck.toString());
        assertEquals(0, ok(port, "GET", "/api/history?type=check&container=" + solo, null).size(), "not checked yet");
        int operationsBefore = ok(port, "GET", "/api/operations", null).size();
        Map<String, String> before = snapshot(file, List.of(web, mis, solo, stopped), network, volume, image);
        assertTrue(before.get(web).contains(DEMO + ":1.1.0"), before.toString());

        // Read-only, for root too.
        Result ro = run("chattr", "-R", "+i", data.toString());
        assertEquals(0, ro.exit(), ro.output());
        immutable = true;
        assertFalse(Files.isWritable(data.resolve("xodus")));
        double since = engineSeconds();

        List<String[]> changes = List.of(
                new String[] {"POST", "/api/containers/" + web + "/stop?timeout=1", null},
                new String[] {"POST", "/api/containers/" + stopped + "/start", null},
                new String[] {"POST", "/api/containers/" + web + "/restart", null},
                new String[] {"DELETE", "/api/containers/" + solo + "?force=true", null},
                new String[] {"POST", "/api/update", "{\"container\":\"" + web + "\",\"version\":\"2.1.0\"}"},
                new String[] {"POST", "/api/update/batch", "{\"containers\":[\"" + web + "\",\"" + solo + "\"]}"},
                new String[] {"POST", "/api/rollback", "{\"operation_id\":\"" + update + "\"}"},
                new String[] {"POST", "/api/fix-compose-mismatch/" + mis, null},
                new String[] {"POST", "/api/labels/set", "{\"container\":\"" + solo + "\",\"labels\":{\"faultdisk\":\"x\"}}"},
                new String[] {"POST", "/api/labels/remove", "{\"container\":\"" + web + "\",\"labels\":[\"dev.docksmith.test\"]}"},
                new String[] {"POST", "/api/restart", "{\"container\":\"" + web + "\"}"},
                new String[] {"POST", "/api/restart/container/" + solo, null},
                new String[] {"POST", "/api/restart/stack/" + project, null},
                new String[] {"POST", "/api/scripts/assign", "{\"container\":\"" + web + "\",\"script\":\"check.sh\"}"},
                new String[] {"DELETE", "/api/scripts/assign/" + solo, null},
                new String[] {"DELETE", "/api/images/" + image, null},
                new String[] {"DELETE", "/api/networks/" + network, null},
                new String[] {"DELETE", "/api/volumes/" + volume, null},
                // Host-wide: reached only once the single-container routes above proved refused.
                new String[] {"POST", "/api/prune/containers", null},
                new String[] {"POST", "/api/prune/images?all=true", null},
                new String[] {"POST", "/api/prune/networks", null},
                new String[] {"POST", "/api/prune/volumes?all=true", null},
                new String[] {"POST", "/api/prune/system?all=true", null});
        String xodus = data.resolve("xodus").toString();
        List<String> timings = new ArrayList<>();
        for (String[] c : changes) {
            long t0 = System.nanoTime();
            HttpResponse<String> r = send(port, c[0], c[1], c[2]);
            timings.add(c[0] + " " + c[1] + " " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0) + " ms");
            String what = c[0] + " " + c[1] + " with the store read-only: " + r.body();
            assertEquals(500, r.statusCode(), what);
            JsonNode body = JSON.readTree(r.body());
            assertFalse(body.path("success").asBoolean(true), what);
            assertEquals("STORAGE_ERROR", body.path("error").path("code").asText(), what);
            String message = body.path("error").path("message").asText();
            assertTrue(message.contains("cannot be written") && message.contains(xodus), what);
        }
        // The streaming restart opens its stream, then ends it with the same error as an event.
        HttpResponse<String> streamed = send(port, "POST", "/api/restart/start/" + web, null);
        assertEquals(200, streamed.statusCode(), streamed.body());
        assertTrue(streamed.body().contains("\"type\":\"error\"") && streamed.body().contains("STORAGE_ERROR")
                && streamed.body().contains("cannot be written"), streamed.body());

        // Reads keep answering, from the store too.
        for (String read : List.of("/api/health", "/api/status", "/api/operations", "/api/operations/" + update, "/api/history",
                "/api/policies", "/api/scripts", "/api/scripts/assigned", "/api/labels/" + solo, "/api/explorer", "/api/images",
                "/api/docker-config", "/api/containers/" + web + "/inspect", "/api/containers/" + web + "/logs",
                "/api/check", "/api/container/" + web + "/recheck")) {
            ok(port, "GET", read, null);
        }
        assertEquals("complete", ok(port, "GET", "/api/operations/" + update, null).path("status").asText());
        JsonNode assigned = ok(port, "GET", "/api/scripts/assigned", null);
        assertTrue(assigned.toString().contains(solo) && assigned.toString().contains("check.sh"), assigned.toString());
        assertEquals(operationsBefore, ok(port, "GET", "/api/operations", null).size(), "no operation was recorded, not even half");

        // Nothing was touched: no engine event for any of them, and the same state.
        double until = engineSeconds();
        String events = engineEvents(since, until, "container", web, mis, solo, stopped)
                + engineEvents(since, until, "network", network) + engineEvents(since, until, "volume", volume)
                + engineEvents(since, until, "image", image);
        assertEquals("", events, "the engine saw changes while the store was read-only");
        assertEquals(before, snapshot(file, List.of(web, mis, solo, stopped), network, volume, image));
        System.out.println("refused while read-only: " + String.join(", ", timings));

        // Writable again: the same process changes state again.
        Result rw = run("chattr", "-R", "-i", data.toString());
        assertEquals(0, rw.exit(), rw.output());
        immutable = false;
        long t0 = System.nanoTime();
        // The check made while read-only could not be written to history; the next one writes it (regression:
        // it was remembered as written, and an unchanged outcome was never written at all).
        ok(port, "GET", "/api/check", null);
        JsonNode history = awaitHistory(port, solo);
        assertEquals("UPDATE_AVAILABLE", history.get(0).path("status").asText(), history.toString());
        ok(port, "POST", "/api/containers/" + web + "/stop?timeout=1", null);
        assertEquals("exited", docker("inspect", "--format", "{{.State.Status}}", web));
        ok(port, "POST", "/api/containers/" + web + "/start", null);
        assertEquals("running", docker("inspect", "--format", "{{.State.Status}}", web));
        ok(port, "DELETE", "/api/scripts/assign/" + solo, null);
        ok(port, "DELETE", "/api/containers/" + stopped, null);
        assertTrue(run("docker", "inspect", stopped).exit() != 0, stopped + " is gone");
        String rollback = awaitOperation(port, started(port, "/api/rollback", "{\"operation_id\":\"" + update + "\"}"));
        assertEquals(DEMO + ":1.0.0", docker("inspect", "--format", "{{.Config.Image}}", web));
        assertEquals(mismatched, Files.readString(file), "the rollback put the file's bytes back");
        System.out.println("writable again: a check written to history, stop, start, unassign, delete and a rollback in "
                + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0) + " ms");

        // What was recorded after the fault is durable: it is there after a restart on the same directory.
        docksmith.destroy();
        assertTrue(docksmith.waitFor(15, TimeUnit.SECONDS), "stops on SIGTERM");
        Process second = start(port, scripts);
        awaitHealthy(port, second, dir.resolve("docksmith.log"));
        assertEquals("complete", ok(port, "GET", "/api/operations/" + rollback, null).path("status").asText());
        assertEquals(operationsBefore + 5, ok(port, "GET", "/api/operations", null).size(),
                "stop, start, unassign, remove and rollback recorded: " + ok(port, "GET", "/api/operations", null));
    }

    static void awaitEngine() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (run("docker", "version").exit() != 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    Process start(int port, Path scripts) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(java("-jar", JAR.toString(), "--port", String.valueOf(port),
                "--data", data.toString(), "--check-interval", "0", "--scripts-dir", scripts.toString()))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("docksmith.log").toFile()));
        pb.environment().put("DOCKSMITH_HEALTH_GRACE", "2s"); // the health gate is not what this test is about
        Process p = pb.start();
        processes.add(p);
        return p;
    }

    /** What must not change: each container's id, state, start time, image and labels, and the rest by id. */
    static Map<String, String> snapshot(Path composeFile, List<String> containers, String network, String volume, String image)
            throws Exception {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("compose file", Files.readString(composeFile));
        for (String c : containers) {
            m.put(c, docker("inspect", "--format",
                    "{{.Id}} {{.State.Status}} {{.State.StartedAt}} {{.Config.Image}} {{.Image}} {{json .Config.Labels}}", c));
        }
        m.put(network, docker("network", "inspect", "--format", "{{.Id}}", network));
        m.put(volume, docker("volume", "inspect", "--format", "{{.Name}} {{.CreatedAt}}", volume));
        m.put(image, docker("image", "inspect", "--format", "{{.Id}} {{.RepoTags}}", image));
        return m;
    }

    /** The engine's events of one type about these objects between two instants, one per line ("" when none). */
    static String engineEvents(double since, double until, String type, String... names) {
        List<String> command = new ArrayList<>(List.of("docker", "events", "--since", String.format(java.util.Locale.ROOT, "%.3f", since),
                "--until", String.format(java.util.Locale.ROOT, "%.3f", until), "--format", "{{.Type}} {{.Action}} {{.Actor.Attributes.name}}"));
        for (String name : names) {
            command.addAll(List.of("--filter", type + "=" + name));
        }
        Result r = run(command.toArray(String[]::new));
        assertEquals(0, r.exit(), r.output());
        return r.output().trim();
    }

    /** The engine's clock, which {@code docker events} windows are read against. */
    static double engineSeconds() {
        String now = docker("info", "--format", "{{.SystemTime}}");
        java.time.Instant t = java.time.OffsetDateTime.parse(now).toInstant();
        return t.getEpochSecond() + t.getNano() / 1e9;
    }

    static String docker(String... args) {
        List<String> command = new ArrayList<>(List.of("docker"));
        command.addAll(List.of(args));
        Result r = run(command.toArray(String[]::new));
        assertEquals(0, r.exit(), String.join(" ", command) + ": " + r.output());
        return r.output().trim();
    }

    static JsonNode ok(int port, String method, String path, String json) throws Exception {
        HttpResponse<String> r = send(port, method, path, json);
        assertEquals(200, r.statusCode(), method + " " + path + ": " + r.body());
        return JSON.readTree(r.body()).path("data");
    }

    static String started(int port, String path, String json) throws Exception {
        JsonNode data = ok(port, "POST", path, json);
        assertEquals("started", data.path("status").asText(), data.toString());
        return data.path("operation_id").asText();
    }

    /** Waits for the operation to end, expects it complete, and returns its id. */
    static String awaitOperation(int port, String id) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            JsonNode op = ok(port, "GET", "/api/operations/" + id, null);
            if (TERMINAL.contains(op.path("status").asText())) {
                assertEquals("complete", op.path("status").asText(), op.toString());
                return id;
            }
            Thread.sleep(100);
        }
        return fail("operation " + id + " did not end within 120 s");
    }

    /** The container's check history once it has some (it is written after the check answers), failing after 10 s. */
    static JsonNode awaitHistory(int port, String container) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        JsonNode history;
        do {
            history = ok(port, "GET", "/api/history?type=check&container=" + container, null);
            if (history.size() > 0) {
                return history;
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        return fail("no check history for " + container + " after a check with the store writable again");
    }

    Result composeCommand(String... args) {
        List<String> command = new ArrayList<>(compose);
        command.addAll(List.of(args));
        return run(dir, command);
    }
}
