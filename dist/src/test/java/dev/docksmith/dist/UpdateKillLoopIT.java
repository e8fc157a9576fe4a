package dev.docksmith.dist;

import com.fasterxml.jackson.databind.JsonNode;
import dev.docksmith.dist.EndToEnd.Result;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

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
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * SIGKILL at every update stage, 20 times over, on the same data directory. One compose v2 project
 * (a service {@code web} and a {@code follower} that restarts after it); 20 times: the real jar is
 * asked to update {@code web} and is killed (java itself, SIGKILL) at a stage chosen round-robin,
 * then started again on the same store. After each kill: the compose file is exactly one of the
 * versions an update may write (checked before the repair, then after it), it declares the image the
 * container runs, both containers run, and every operation ever started is still there and ended.
 *
 * <p>Stages too short to wait inside are slowed only in their own iteration, by control files that
 * the test creates and removes: a pre-update script that sleeps ({@code validating}), a registry proxy
 * that holds the engine's pulls ({@code pulling_image}), a container that takes 3 s to stop
 * ({@code recreating}), the health gate's grace ({@code health_check}) and a follower that takes 3 s
 * to restart ({@code restarting_dependents}). {@code backup} and {@code updating_compose} last a few
 * milliseconds: the kill is sent the moment their event arrives, and the table says which stage the
 * process was in (the last stage it announced, and the stage its record holds).
 */
class UpdateKillLoopIT {
    static final String UPSTREAM = "localhost:5000/docksmith/demo";
    static final List<String> STAGES = List.of("validating", "backup", "updating_compose", "pulling_image", "recreating",
            "health_check", "restarting_dependents");
    static final int ITERATIONS = 20;
    static final Set<String> TERMINAL = Set.of("complete", "failed", "rolled_back");
    static final List<String> TAGS = List.of("1.0.0", "1.1.0", "2.1.0");
    // Comments and both quote styles: a file written halfway, or re-serialised instead of edited, differs in bytes.
    static final String COMPOSE_FILE = """
            # kill loop: Docksmith is SIGKILLed at every update stage; only web's tag may ever change here
            services:
              web:  # updated, and killed, 20 times
                image: "%1$s:%2$s"   # quoted on purpose
                network_mode: 'none'
                stop_grace_period: 10s
                volumes: ["./ctl:/ctl:ro"]
                # stops at once, or after 3 s while ctl/slow-stop exists
                command: ["/bin/sh", "-c", "trap '[ -f /ctl/slow-stop ] && sleep 3; exit 0' TERM; httpd -f -p 8080 -h /www & wait"]
                labels:
                  docksmith.pre-update-check: 'validate.sh'
                  note: "it's a 'quoted' value # not a comment"
              follower:
                image: '%1$s:1.0.0'
                network_mode: 'none'
                stop_grace_period: 10s
                volumes: ["./ctl:/ctl:ro"]
                command: ["/bin/sh", "-c", "trap '[ -f /ctl/slow-follower ] && sleep 3; exit 0' TERM; httpd -f -p 8080 -h /www & wait"]
                labels:
                  docksmith.restart-after: web
            """;

    final List<Process> processes = new ArrayList<>();
    final List<ProcessHandle> orphans = new CopyOnWriteArrayList<>();
    final List<String> images = new ArrayList<>();
    final List<Row> rows = new ArrayList<>();
    PullSlowingProxy proxy;
    Path dir;
    Path ctl;
    String project;
    EventFeed feed;
    int completed;

    /** One line of the table. */
    record Row(int iteration, String target, String version, String announced, String recorded, String fileAtKill,
               String outcome, long stageMs, long killMs, long repairMs, long settledMs) {
    }

    @Test
    void twentyKillsAtEveryStageLeaveNothingHalfDone(@TempDir Path tmp) throws Exception {
        requireEngine();
        require("docker compose (v2)", run("docker", "compose", "version"));
        dir = tmp;
        ctl = Files.createDirectory(dir.resolve("ctl"));
        Path scripts = Files.createDirectory(dir.resolve("scripts"));
        Path validate = scripts.resolve("validate.sh");
        Files.writeString(validate, "#!/bin/sh\n# sleeps while the test wants the update held in 'validating'\n"
                + "if [ -f '" + ctl.resolve("slow-validate") + "' ]; then sleep 3; fi\nexit 0\n");
        Files.setPosixFilePermissions(validate, PosixFilePermissions.fromString("rwxr-xr-x"));

        // The repository is reached through a proxy that can hold the engine's pulls; the tags already
        // local are tagged under its name, 2.1.0 comes from the registry when first asked for.
        proxy = new PullSlowingProxy(5000, Duration.ofMillis(300));
        proxy.armed = false; // armed only while a kill at pulling_image waits for the pull
        String repository = "127.0.0.1:" + proxy.port() + "/docksmith/demo";
        for (String tag : List.of("1.0.0", "1.1.0")) {
            Result tagged = run("docker", "tag", UPSTREAM + ":" + tag, repository + ":" + tag);
            assertEquals(0, tagged.exit(), tagged.output());
        }
        TAGS.forEach(tag -> images.add(repository + ":" + tag));
        Map<String, String> versions = new LinkedHashMap<>();
        TAGS.forEach(tag -> versions.put(tag, COMPOSE_FILE.formatted(repository, tag)));

        Path file = dir.resolve("docker-compose.yml");
        Files.writeString(file, versions.get("1.0.0"));
        project = "killloop" + Long.toString(System.nanoTime(), 36);
        Result up = compose("up", "-d");
        assertEquals(0, up.exit(), up.output());
        String web = container("web").path("Name").asText().substring(1);

        Path data = dir.resolve("data");
        long t00 = System.nanoTime();
        int[] port = {freePort()};
        Process jar = start(data, port[0], 0);
        List<String> ids = new ArrayList<>();
        try {
            for (int n = 0; n < ITERATIONS; n++) {
                final int i = n;
                String stage = STAGES.get(i % STAGES.size());
                String current = tagOf(container("web").path("Config").path("Image").asText());
                String target = stage.equals("pulling_image") && !current.equals("2.1.0") ? "2.1.0"
                        : current.equals("1.0.0") ? "1.1.0" : "1.0.0";
                if (stage.equals("pulling_image")) {
                    run("docker", "rmi", repository + ":2.1.0"); // absent or unused: the pull then fetches layers
                }
                arm(stage);
                long t0 = System.nanoTime();
                HttpResponse<String> posted = send(port[0], "POST", "/api/update",
                        JSON.createObjectNode().put("container", web).put("version", target).toString());
                assertEquals(200, posted.statusCode(), posted.body());
                String id = JSON.readTree(posted.body()).path("data").path("operation_id").asText();
                ids.add(id);

                List<String> announced = new ArrayList<>();
                feed.await(e -> {
                    JsonNode p = e.path("payload");
                    if (!"update.progress".equals(e.path("type").asText()) || !id.equals(p.path("operation_id").asText())) {
                        return false;
                    }
                    String s = p.path("stage").asText();
                    announced.add(s);
                    if (TERMINAL.contains(s)) {
                        fail("iteration " + i + ": " + id + " ended (" + s + ": " + p.path("message").asText()
                                + ") before reaching " + stage + "\n" + log(i));
                    }
                    return s.equals(stage);
                }, 60, () -> "iteration " + i + ": " + id + " did not reach " + stage + " (announced " + announced + ")\n" + log(i));
                long stageMs = ms(t0);
                Thread.sleep(killDelayMs(stage, i / STAGES.size()));
                feed.drain(e -> {
                    JsonNode p = e.path("payload");
                    if ("update.progress".equals(e.path("type").asText()) && id.equals(p.path("operation_id").asText())) {
                        announced.add(p.path("stage").asText());
                    }
                });
                String lastAnnounced = announced.get(announced.size() - 1);

                // SIGKILL to java itself: no shutdown hook, nothing undone. What it started (a compose CLI,
                // the pre-update script) outlives it, as it would under a shell.
                assertTrue(jar.info().command().orElse("").endsWith("/java"), jar.info().toString());
                List<ProcessHandle> children = jar.descendants().toList();
                orphans.addAll(children);
                jar.destroyForcibly();
                assertTrue(jar.waitFor(10, TimeUnit.SECONDS), "java did not die");
                long killMs = ms(t0);
                feed.close();

                // Before any repair: the file is one whole version, never a partial write (a temporary file
                // beside it may be left, for the next write to remove).
                String atKill = Files.readString(file, StandardCharsets.UTF_8);
                long temps = tempFiles();
                String fileAtKill = versions.entrySet().stream().filter(v -> v.getValue().equals(atKill))
                        .map(Map.Entry::getKey).findFirst()
                        .orElseGet(() -> fail("iteration " + i + ": compose file at the kill is none of the expected versions:\n" + atKill));
                disarm();

                port[0] = freePort();
                jar = start(data, port[0], i + 1);
                JsonNode op = awaitAllEnded(port[0], ids, jar, i);
                long repairMs = ms(t0) - killMs;
                // Judge the end state once the compose commands the killed run started have finished too
                // (the repair waits for them as well); a pre-update script still sleeping changes nothing.
                for (ProcessHandle o : children.stream().filter(c -> c.info().commandLine().orElse("").contains("compose")).toList()) {
                    try {
                        o.onExit().get(30, TimeUnit.SECONDS);
                    } catch (TimeoutException e) {
                        System.out.println("iteration " + i + ": still running 30 s after the repair, killed: " + o.info());
                        o.destroyForcibly();
                    }
                }
                String context = "iteration " + i + " (" + stage + ", " + current + " -> " + target + "): " + op + "\n" + log(i) + "\n" + log(i + 1);
                JsonNode webNow = awaitRunning("web", context);
                JsonNode followerNow = awaitRunning("follower", context);
                long settledMs = ms(t0) - killMs;

                String status = op.path("status").asText();
                String error = op.path("error").asText();
                assertEquals("failed", status, "a kill inside the update fails it, on start-up: " + context);
                assertTrue(error.startsWith("Docksmith stopped"), context);
                String recorded = op.path("details").path("stage").asText("-");
                String runs = webNow.path("Config").path("Image").asText();
                String bytes = Files.readString(file, StandardCharsets.UTF_8);
                assertEquals(versions.get(tagOf(runs)), bytes, "the compose file declares what runs (" + runs + "): " + context);
                String imageId = run("docker", "image", "inspect", "--format", "{{.Id}}", runs).output().trim();
                assertEquals(imageId, webNow.path("Image").asText(), "web runs the image its name says: " + runs);
                assertEquals(repository + ":1.0.0", followerNow.path("Config").path("Image").asText(), context);
                rows.add(new Row(i + 1, stage, current + "->" + target, lastAnnounced, recorded, "v" + fileAtKill + (temps > 0 ? "+tmp" : ""),
                        status + ": " + afterStartUp(error, repository), stageMs, killMs, repairMs, settledMs));
                System.out.println("kill loop: " + format(rows.get(rows.size() - 1)));

                if (i % 2 == 1) {
                    // Every second round, the repaired instance completes an update unhindered: the next kills
                    // then start from the other version, and the file has really changed between them.
                    completeUpdate(port[0], web, tagOf(runs).equals("1.0.0") ? "1.1.0" : "1.0.0", versions, ids, i);
                }
            }
            // Every operation ever started is still listed, each ended.
            JsonNode listed = EndToEnd.get(port[0], "/api/operations?limit=1000").path("data");
            Set<String> listedIds = new HashSet<>();
            for (JsonNode o : listed) {
                listedIds.add(o.path("operation_id").asText(o.path("id").asText()));
                assertTrue(TERMINAL.contains(o.path("status").asText()), "left in flight: " + o);
            }
            assertTrue(listedIds.containsAll(ids), "lost: " + ids.stream().filter(x -> !listedIds.contains(x)).toList());
            assertEquals(ITERATIONS + completed, ids.size());
            assertEquals(0, tempFiles(), "a temporary file a killed write left is removed by the next write");
        } finally {
            System.out.println(table(ms(t00)));
        }
    }

    /** An update nobody interrupts: it completes, and the file and container agree on the new version. */
    void completeUpdate(int port, String web, String target, Map<String, String> versions, List<String> ids, int i) throws Exception {
        HttpResponse<String> posted = send(port, "POST", "/api/update",
                JSON.createObjectNode().put("container", web).put("version", target).toString());
        assertEquals(200, posted.statusCode(), posted.body());
        String id = JSON.readTree(posted.body()).path("data").path("operation_id").asText();
        ids.add(id);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        JsonNode op = null;
        while (System.nanoTime() < deadline) {
            op = JSON.readTree(send(port, "GET", "/api/operations/" + id).body()).path("data");
            if (TERMINAL.contains(op.path("status").asText())) {
                break;
            }
            Thread.sleep(50);
        }
        assertEquals("complete", op.path("status").asText(), "the update after round " + (i + 1) + ": " + op + "\n" + log(i + 1));
        JsonNode webNow = awaitRunning("web", String.valueOf(op));
        assertEquals(target, tagOf(webNow.path("Config").path("Image").asText()));
        assertEquals(versions.get(target), Files.readString(dir.resolve("docker-compose.yml"), StandardCharsets.UTF_8));
        awaitRunning("follower", String.valueOf(op));
        completed++;
    }

    /** Temporary files beside the compose file (Docksmith writes the new bytes there, then renames). */
    long tempFiles() throws IOException {
        try (var files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith(".docker-compose.yml.docksmith-") && n.endsWith(".tmp")).count();
        }
    }

    /** Arms the one slowdown this stage needs; the others stay off. */
    void arm(String stage) throws IOException {
        disarm();
        switch (stage) {
            case "validating" -> Files.createFile(ctl.resolve("slow-validate"));
            case "pulling_image" -> proxy.armed = true;
            case "recreating" -> Files.createFile(ctl.resolve("slow-stop"));
            case "restarting_dependents" -> Files.createFile(ctl.resolve("slow-follower"));
            default -> {
                // backup and updating_compose cannot be slowed; health_check lasts DOCKSMITH_HEALTH_GRACE
            }
        }
    }

    void disarm() throws IOException {
        proxy.armed = false;
        for (String f : List.of("slow-validate", "slow-stop", "slow-follower")) {
            Files.deleteIfExists(ctl.resolve(f));
        }
    }

    /**
     * How long after the stage's event the kill comes: well inside a slowed stage; for the two stages of a
     * few milliseconds, at once the first time and a little later on each next round (the table says
     * which stage the process was in).
     */
    static long killDelayMs(String stage, int round) {
        return switch (stage) {
            case "validating", "pulling_image", "restarting_dependents" -> 400;
            case "recreating" -> 1000; // compose has created the new container and is stopping the old one
            case "health_check" -> 700; // of a 2 s grace
            case "backup" -> 8L * round;
            case "updating_compose" -> 2L * round;
            default -> 0;
        };
    }

    /** Polls until every operation (those started and any other) has ended; returns this iteration's. */
    JsonNode awaitAllEnded(int port, List<String> ids, Process jar, int i) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        String last = "";
        while (System.nanoTime() < deadline) {
            if (!jar.isAlive()) {
                fail("Docksmith exited with " + jar.exitValue() + "\n" + log(i + 1));
            }
            try {
                HttpResponse<String> r = send(port, "GET", "/api/operations?limit=1000");
                if (r.statusCode() == 200) {
                    last = r.body();
                    Map<String, JsonNode> byId = new LinkedHashMap<>();
                    for (JsonNode o : JSON.readTree(r.body()).path("data")) {
                        byId.put(o.path("operation_id").asText(o.path("id").asText()), o);
                    }
                    boolean allThere = byId.keySet().containsAll(ids);
                    boolean allEnded = byId.values().stream().allMatch(o -> TERMINAL.contains(o.path("status").asText()));
                    if (allThere && allEnded) {
                        String id = ids.get(ids.size() - 1);
                        HttpResponse<String> one = send(port, "GET", "/api/operations/" + id);
                        assertEquals(200, one.statusCode(), one.body());
                        return JSON.readTree(one.body()).path("data");
                    }
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(50);
        }
        return fail("iteration " + i + ": operations not all ended within 120 s: " + last + "\n" + log(i + 1));
    }

    /** The service's only container once it runs (a renamed leftover, or none, fails). */
    JsonNode awaitRunning(String service, String context) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        JsonNode c = container(service);
        while (!c.path("State").path("Running").asBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(100);
            c = container(service);
        }
        assertTrue(c.path("State").path("Running").asBoolean(), service + " is not running: " + c.path("State") + "\n" + context);
        return c;
    }

    JsonNode container(String service) throws IOException {
        Result ids = run("docker", "ps", "-aq", "--filter", "label=com.docker.compose.project=" + project,
                "--filter", "label=com.docker.compose.service=" + service);
        List<String> found = ids.output().lines().filter(l -> !l.isBlank()).toList();
        assertEquals(1, found.size(), "containers of " + project + "/" + service + ": " + ids.output());
        return JSON.readTree(run("docker", "inspect", found.get(0)).output()).get(0);
    }

    Process start(Path data, int port, int n) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(java("-jar", JAR.toString(), "--port", String.valueOf(port),
                "--data", data.toString(), "--check-interval", "0"))
                .redirectErrorStream(true).redirectOutput(logFile(n).toFile());
        pb.environment().put("DOCKSMITH_HEALTH_GRACE", "2s");
        pb.environment().put("DOCKSMITH_SCRIPTS_DIR", dir.resolve("scripts").toString());
        pb.environment().put("DOCKSMITH_PLUGINS_DIR", dir.resolve("plugins").toString());
        Process p = pb.start();
        processes.add(p);
        awaitHealthy(port, p, logFile(n));
        feed = new EventFeed(port);
        return p;
    }

    Path logFile(int n) {
        return dir.resolve("docksmith-%02d.log".formatted(n));
    }

    String log(int n) {
        try {
            Path f = logFile(n);
            return Files.exists(f) ? "--- " + f.getFileName() + " ---\n" + Files.readString(f) : "";
        } catch (IOException e) {
            return e.toString();
        }
    }

    Result compose(String... args) {
        List<String> command = new ArrayList<>(List.of("docker", "compose", "-p", project, "-f",
                dir.resolve("docker-compose.yml").toString()));
        command.addAll(List.of(args));
        return run(dir, command);
    }

    static String tagOf(String image) {
        return image.substring(image.lastIndexOf(':') + 1);
    }

    /** What start-up said it found and did, without the common prefix and with short names, for the table. */
    String afterStartUp(String error, String repository) {
        int at = error.indexOf("on start-up: ");
        String s = (at >= 0 ? error.substring(at + "on start-up: ".length()) : error)
                .replace(dir.resolve("docker-compose.yml").toString(), "the file").replace(repository + ":", "")
                .replace(" (its last recorded stage)", "").replace("; marked failed on start-up", "");
        return s.length() > 150 ? s.substring(0, 147) + "..." : s;
    }

    static String format(Row r) {
        return "%2d  %-21s  %-12s  %-21s  %-21s  %-10s  %6d  %6d  %6d  %7d  %s".formatted(r.iteration(), r.target(), r.version(),
                r.announced(), r.recorded(), r.fileAtKill(), r.stageMs(), r.killMs(), r.repairMs(), r.settledMs(), r.outcome());
    }

    String table(long totalMs) {
        String head = "%2s  %-21s  %-12s  %-21s  %-21s  %-10s  %6s  %6s  %6s  %7s  %s".formatted("#", "kill aimed at", "update",
                "last stage announced", "stage in its record", "file", "stage", "kill", "repair", "settled", "outcome (what start-up found and did)");
        return "\nUpdateKillLoopIT: " + rows.size() + " of " + ITERATIONS + " killed updates (and " + completed
                + " completed ones between them) in " + totalMs + " ms"
                + " (times in ms; stage/kill: after the POST; repair: kill to every operation ended, including the JVM start;"
                + " settled: kill to both containers running); file = the compose file's version at the kill, before any repair"
                + " (+tmp: a temporary file was left beside it)\n"
                + head + "\n" + rows.stream().map(UpdateKillLoopIT::format).collect(Collectors.joining("\n"));
    }

    static long ms(long since) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - since);
    }

    @AfterEach
    void cleanUp() throws IOException {
        if (feed != null) {
            feed.close();
        }
        processes.forEach(Process::destroyForcibly);
        orphans.forEach(ProcessHandle::destroyForcibly);
        if (ctl != null && proxy != null) {
            disarm();
        }
        if (project != null) {
            compose("down", "-t", "0", "--remove-orphans");
        }
        images.forEach(image -> run("docker", "rmi", image));
        if (proxy != null) {
            proxy.close();
        }
    }
}
