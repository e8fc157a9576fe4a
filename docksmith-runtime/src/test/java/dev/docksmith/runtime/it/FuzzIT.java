package dev.docksmith.runtime.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.docksmith.api.Operation;
import dev.docksmith.api.OperationQuery;
import dev.docksmith.api.OperationStatus;
import dev.docksmith.runtime.Docksmith;
import dev.docksmith.runtime.plugin.PreUpdateChecks;
import dev.docksmith.runtime.config.DocksmithConfig;
import dev.docksmith.runtime.config.Setting;
import dev.docksmith.runtime.http.Router;
import dev.docksmith.runtime.it.FuzzHttp.BodyMode;
import dev.docksmith.runtime.it.FuzzHttp.Req;
import dev.docksmith.runtime.it.FuzzHttp.Resp;
import dev.docksmith.runtime.it.FuzzInputs.Case;
import dev.docksmith.runtime.it.FuzzRoutes.ParamKind;
import dev.docksmith.runtime.it.FuzzRoutes.Route;
import dev.docksmith.runtime.json.Json;
import dev.docksmith.runtime.store.InMemoryStore;
import dev.docksmith.runtime.update.StoredPlan;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Issue 6, "bad input": throws malformed, mistyped, oversized, deeply nested, traversing and
 * otherwise wrong requests at every route the router serves, against an embedded Docksmith on the
 * real engine with real containers, a real compose project, a network, a volume, an image tag,
 * scripts and recorded operations of its own. Asserts that no reply is a 5xx, every error has the
 * contract's envelope, every request that reaches a state-changing handler is refused, and that
 * afterwards nothing changed: operations and script assignments in the store, the engine (the
 * fixture's containers with their ids, names, states, start times and images, its network, volume
 * and image; and no write reached the engine at all), the compose files, the scripts directory.
 * <p>
 * Reproduce: every run prints its seed; {@code -Ddocksmith.fuzz.seed=<seed>} replays the same
 * requests (names of the fixture's objects differ per run, nothing else), {@code
 * -Ddocksmith.fuzz.requests=<n>} (default 3000) and {@code -Ddocksmith.fuzz.seconds=<s>} (default
 * 90, a bound on sending) make longer runs, {@code -Ddocksmith.fuzz.only=<index>} sends one case.
 * <p>
 * Why no valid state-changing request is sent: see {@link FuzzInputs}; and Docksmith reaches the
 * engine only through {@link FuzzEngineGuard}, which refuses every write and records it.
 */
class FuzzIT {
    static final long SEED = Long.getLong("docksmith.fuzz.seed", System.currentTimeMillis() ^ System.nanoTime());
    static final int REQUESTS = Integer.getInteger("docksmith.fuzz.requests", 3000);
    static final int THREADS = Integer.getInteger("docksmith.fuzz.threads", 8);
    static final int SECONDS = Integer.getInteger("docksmith.fuzz.seconds", 90);
    static final int ONLY = Integer.getInteger("docksmith.fuzz.only", -1);
    static final String FUZZ_LABEL = "dev.docksmith.fuzz";

    static Path dir;
    static Fixture fixture;
    static FuzzEngineGuard guard;
    static InMemoryStore store;
    static Docksmith docksmith;
    static Router router;
    static List<Route> routes;
    /** Keeps the request log quiet while thousands of refusals go by (errors and 5xx are still logged). */
    static final java.util.logging.Logger HTTP_LOG = java.util.logging.Logger.getLogger("dev.docksmith.runtime.http");

    @BeforeAll
    static void start() throws Exception {
        RealEngine.require();
        dir = Files.createTempDirectory("docksmith-fuzz-");
        fixture = Fixture.create(dir);
        guard = FuzzEngineGuard.start();
        store = new InMemoryStore();
        fixture.seed(store);
        DocksmithConfig config = DocksmithConfig.defaults().with(Setting.PORT, "0").with(Setting.CHECK_INTERVAL, "0")
                .with(Setting.SCRIPTS_DIR, fixture.scripts.toString()).with(Setting.DOCKER_HOST, guard.dockerHost())
                .with(Setting.REGISTRY_TIMEOUT, "3s").with(Setting.DATA, dir.resolve("data").toString())
                .with(Setting.PLUGINS_DIR, dir.resolve("plugins").toString())
                .with(Setting.DOCKER_CONFIG, dir.resolve("docker-config").toString());
        docksmith = Docksmith.builder().config(config).store(store).build().start();
        router = FuzzRoutes.routerOf(docksmith);
        routes = FuzzRoutes.registered(router);
        HTTP_LOG.setLevel(java.util.logging.Level.WARNING);
    }

    @AfterAll
    static void stop() throws IOException {
        HTTP_LOG.setLevel(null);
        if (docksmith != null) {
            docksmith.close();
        }
        if (guard != null) {
            guard.close();
        }
        if (fixture != null) {
            fixture.close();
        }
        if (dir != null) {
            try (Stream<Path> walk = Files.walk(dir)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** The fuzzer's knowledge of routes names only routes that exist; routes it does not know are listed (and still fuzzed). */
    @Test
    void specsNameOnlyRegisteredRoutes() {
        Set<String> registered = routes.stream().map(Route::key).collect(Collectors.toCollection(TreeSet::new));
        Set<String> stale = new TreeSet<>(FuzzRoutes.SPECS.keySet());
        stale.removeAll(registered);
        assertTrue(stale.isEmpty(), "FuzzRoutes.SPECS names routes the router does not have (renamed or removed?): " + stale);
        Set<String> unknown = new TreeSet<>(registered);
        unknown.removeAll(FuzzRoutes.SPECS.keySet());
        if (!unknown.isEmpty()) {
            System.out.println("FuzzIT: routes without a spec, fuzzed with unresolvable names and generic bad input only: " + unknown);
        }
        // The dispatch model agrees with the router on every route's own template.
        for (Route r : routes) {
            String path = r.template().replaceAll("\\{[^}]*}", "x");
            assertEquals(router.allowedMethods(path), FuzzRoutes.allowed(routes, path), "allowed methods of " + path);
        }
    }

    @Test
    void badInputIsRefusedAndChangesNothing() throws Exception {
        List<Case> cases = new FuzzInputs(routes, fixture.reals(), SEED).generate(REQUESTS);
        if (ONLY >= 0) {
            cases = List.of(cases.get(ONLY));
        }
        System.out.println("FuzzIT: seed " + SEED + " (-Ddocksmith.fuzz.seed=" + SEED + "), " + cases.size() + " requests over "
                + routes.size() + " routes, " + THREADS + " at a time, at most " + SECONDS + " s of sending");
        State before = State.capture();
        assertTrue(guard.writes().isEmpty(), "writes before fuzzing: " + guard.writes());
        ApiClient api = new ApiClient("http://127.0.0.1:" + docksmith.port());

        long startNanos = System.nanoTime();
        long deadline = startNanos + SECONDS * 1_000_000_000L;
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        Map<Integer, Outcome> outcomes = new ConcurrentHashMap<>();
        AtomicInteger skipped = new AtomicInteger();
        List<Future<?>> futures = new ArrayList<>();
        for (Case c : cases) {
            futures.add(pool.submit(() -> {
                if (System.nanoTime() > deadline) {
                    skipped.incrementAndGet();
                    return;
                }
                long t0 = System.nanoTime();
                Resp r = FuzzHttp.send(docksmith.port(), c.req(), 120_000);
                outcomes.put(c.index(), new Outcome(c, r, check(c, r), (System.nanoTime() - t0) / 1_000_000));
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        pool.shutdown();
        long elapsedMs = (System.nanoTime() - startNanos) / 1_000_000;

        report(cases, outcomes, skipped.get(), elapsedMs);
        List<String> failures = new ArrayList<>();
        Map<String, List<Outcome>> bySignature = new TreeMap<>();
        for (Outcome o : outcomes.values()) {
            if (!o.problems.isEmpty()) {
                bySignature.computeIfAbsent(o.signature(), k -> new ArrayList<>()).add(o);
            }
        }
        bySignature.forEach((signature, list) -> {
            list.sort((a, b) -> Integer.compare(a.c.index(), b.c.index()));
            Outcome first = list.get(0);
            failures.add(list.size() + " x " + signature + "; first: " + first.c.describe() + "\n      -> " + first.reply()
                    + "\n      problems: " + first.problems);
        });
        if (!failures.isEmpty()) {
            System.out.println("FuzzIT: replies with problems:\n  - " + String.join("\n  - ", failures));
        }

        // The server still answers, and nothing changed.
        ApiClient.Response health = api.get("/api/health");
        if (health.status() != 200 || !"ok".equals(health.json().path("status").asText())) {
            failures.add("GET /api/health after fuzzing answered " + health.status() + " " + health.text());
        }
        if (!guard.writes().isEmpty()) {
            failures.add("Docksmith tried " + guard.writes().size() + " engine write(s), refused by the guard: "
                    + guard.writes().stream().distinct().limit(20).toList());
        }
        waitForQuiet();
        State after = State.capture();
        failures.addAll(before.differences(after));
        if (!failures.isEmpty()) {
            fail("FuzzIT (seed " + SEED + ") found " + failures.size() + " problem(s):\n  - " + String.join("\n  - ", failures));
        }
    }

    /** Lets anything a request started (there should be nothing) settle before the state is compared. */
    private static void waitForQuiet() throws InterruptedException {
        Thread.sleep(1000);
    }

    // ---------------------------------------------------------------- the oracle

    record Outcome(Case c, Resp r, List<String> problems, long millis) {
        String signature() {
            String route = c.route();
            return c.inputClass().label() + " on " + route + " -> " + (r.status() < 0 ? "no reply" : String.valueOf(r.status()));
        }

        String reply() {
            if (r.failure() != null) {
                return r.failure();
            }
            return r.status() + " " + FuzzHttp.abbreviate(FuzzHttp.escape(r.text()), 400) + " (" + millis + " ms)";
        }
    }

    /** What is wrong with a reply (empty when nothing). */
    static List<String> check(Case c, Resp r) {
        List<String> problems = new ArrayList<>();
        Req q = c.req();
        if (r.failure() != null) {
            problems.add("no reply: " + r.failure());
            return problems;
        }
        int status = r.status();
        if (status >= 500) {
            problems.add("5xx");
        }
        boolean fromDocksmith = r.header("X-Request-Id").isPresent();
        if (!fromDocksmith) {
            // Only the JDK's own HTTP parser answers without a request id: it refuses a request
            // target that is not URI syntax before Docksmith sees it (a 400 without the envelope).
            if (!(status == 400 && !validUri(q.target()))) {
                problems.add("reply not from Docksmith's pipeline (no X-Request-Id)");
            }
            return problems;
        }
        String expected = expectedStatus(c);
        if (expected != null && !expected.equals("4xx") && !expected.equals(String.valueOf(status))) {
            problems.add("expected " + expected);
        }
        if ("4xx".equals(expected) && (status < 400 || status > 499)) {
            boolean batchAllFailed = c.route().equals("POST /api/update/batch") && status == 200
                    && json(r) != null && json(r).path("data").path("queued").asInt(-1) == 0;
            if (!batchAllFailed) {
                problems.add("a request that must be refused (" + c.refusal() + ") got " + status);
            }
        }
        if (status == 405 && r.header("Allow").isEmpty()) {
            problems.add("405 without Allow");
        }
        boolean head = q.method().equals("HEAD");
        if (status >= 400 && !head) {
            problems.addAll(envelopeProblems(r));
        } else if (status >= 200 && status < 300 && status != 204 && !head && !r.stream()) {
            JsonNode body = json(r);
            if (body == null || !body.path("success").asBoolean(false)) {
                problems.add("2xx without {\"success\":true,...}");
            }
        }
        return problems;
    }

    /** The status a case must get: an exact one where the pipeline decides, "4xx", or null (any non-5xx). */
    static String expectedStatus(Case c) {
        Req q = c.req();
        if (q.mode() == BodyMode.DECLARED_ONLY && q.declaredLength() > FuzzInputs.LIMIT) {
            return "413";
        }
        if (q.mode() == BodyMode.FIXED && q.bodyLength() > FuzzInputs.LIMIT) {
            return "413";
        }
        String path = q.path();
        if (FuzzRoutes.decode(path).isEmpty()) {
            return "400";
        }
        Set<String> allowed = FuzzRoutes.allowed(routes, path);
        Set<String> fromRouter;
        try {
            fromRouter = new TreeSet<>(router.allowedMethods(path));
        } catch (RuntimeException e) {
            fromRouter = Set.of();
        }
        if (!allowed.equals(fromRouter)) {
            return "model: the router allows " + fromRouter + " on " + path + ", FuzzRoutes says " + allowed;
        }
        if (allowed.isEmpty()) {
            return "404";
        }
        if (q.method().equals("OPTIONS")) {
            return "204";
        }
        if (!allowed.contains(q.method())) {
            return "405";
        }
        if (FuzzInputs.takesBody(q.method())) {
            if (q.mode() == BodyMode.CHUNKED && q.bodyLength() > FuzzInputs.LIMIT) {
                return "413";
            }
            if (q.bodyLength() > 0 && !FuzzInputs.isJson(q.contentType())) {
                return "415";
            }
        }
        return c.refusal() != null ? "4xx" : null;
    }

    static List<String> envelopeProblems(Resp r) {
        List<String> problems = new ArrayList<>();
        JsonNode body = json(r);
        if (body == null || !body.isObject()) {
            problems.add("error reply is not a JSON object");
            return problems;
        }
        if (!body.path("success").isBoolean() || body.path("success").asBoolean()) {
            problems.add("error reply without \"success\": false");
        }
        JsonNode error = body.path("error");
        if (!error.isObject() || !error.path("message").isTextual() || error.path("message").asText().isBlank()
                || !error.path("code").isTextual() || error.path("code").asText().isBlank()) {
            problems.add("error reply without {\"error\":{\"message\",\"code\"}}");
            return problems;
        }
        String code = error.path("code").asText();
        String want = switch (r.status()) {
            case 400 -> "BAD_REQUEST";
            case 404 -> "NOT_FOUND";
            case 405 -> "METHOD_NOT_ALLOWED";
            case 409 -> "CONFLICT";
            case 413 -> "PAYLOAD_TOO_LARGE";
            case 429 -> "RATE_LIMITED";
            default -> null;
        };
        if (want != null && !want.equals(code)) {
            problems.add("status " + r.status() + " with code " + code);
        }
        return problems;
    }

    static JsonNode json(Resp r) {
        try {
            return r.body().length == 0 ? null : Json.parse(r.body());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    static boolean validUri(String target) {
        try {
            new URI(target);
            return true;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static void report(List<Case> cases, Map<Integer, Outcome> outcomes, int skipped, long elapsedMs) {
        Map<String, Map<String, Integer>> matrix = new TreeMap<>();
        Map<Integer, Integer> statuses = new TreeMap<>();
        int jdk = 0;
        for (Outcome o : outcomes.values()) {
            matrix.computeIfAbsent(o.c.route(), k -> new TreeMap<>()).merge(o.c.inputClass().label(), 1, Integer::sum);
            statuses.merge(o.r.status(), 1, Integer::sum);
            if (o.r.failure() == null && o.r.header("X-Request-Id").isEmpty()) {
                jdk++;
            }
        }
        long slowest = outcomes.values().stream().mapToLong(Outcome::millis).max().orElse(0);
        StringBuilder s = new StringBuilder();
        s.append("FuzzIT: seed ").append(SEED).append(": ").append(outcomes.size()).append(" of ").append(cases.size())
                .append(" requests sent in ").append(elapsedMs).append(" ms (").append(skipped).append(" left for lack of time; slowest ")
                .append(slowest).append(" ms), ").append(matrix.size()).append(" routes x ")
                .append(FuzzInputs.InputClass.values().length).append(" input classes\n");
        s.append("  statuses: ").append(statuses).append(" (").append(jdk).append(" refused by the JDK HTTP parser itself)\n");
        s.append("  engine reads through the guard: ").append(guard.reads()).append(", writes refused: ").append(guard.writes().size()).append('\n');
        matrix.forEach((route, classes) -> s.append("  ").append(route).append(": ").append(classes).append('\n'));
        s.append("  slowest:\n");
        outcomes.values().stream().sorted((a, b) -> Long.compare(b.millis(), a.millis())).limit(3)
                .forEach(o -> s.append("    ").append(o.millis()).append(" ms ").append(FuzzHttp.abbreviate(o.c().describe(), 300)).append('\n'));
        System.out.println(s);
    }

    // ---------------------------------------------------------------- state

    /** Everything that must not change. */
    record State(List<String> operations, Map<String, String> assignments, Map<String, String> fixtureObjects,
                 Map<String, String> files, Set<String> engine) {
        static State capture() throws IOException {
            List<String> ops = store.operations(OperationQuery.all()).stream().map(Operation::toString).toList();
            Map<String, String> assignments = new TreeMap<>();
            for (String container : store.settings().keys(PreUpdateChecks.ASSIGNMENTS)) {
                assignments.put(container, store.settings().get(PreUpdateChecks.ASSIGNMENTS, container).orElse(null));
            }
            Map<String, String> files = new TreeMap<>();
            for (Path root : List.of(fixture.composeDir, fixture.scripts, fixture.outsideDir)) {
                try (Stream<Path> walk = Files.walk(root)) {
                    for (Path p : walk.sorted().toList()) {
                        files.put(p.toString(), Files.isDirectory(p) ? "dir " + PosixFilePermissions.toString(Files.getPosixFilePermissions(p))
                                : PosixFilePermissions.toString(Files.getPosixFilePermissions(p)) + " " + sha256(Files.readAllBytes(p)));
                    }
                }
            }
            return new State(ops, assignments, fixture.objects(), files, engineState());
        }

        List<String> differences(State after) {
            List<String> out = new ArrayList<>();
            if (!operations.equals(after.operations)) {
                List<String> added = new ArrayList<>(after.operations);
                added.removeAll(operations);
                List<String> gone = new ArrayList<>(operations);
                gone.removeAll(after.operations);
                out.add("the store's operations changed: added " + added + ", changed or removed " + gone);
            }
            if (!assignments.equals(after.assignments)) {
                out.add("script assignments changed: " + assignments + " -> " + after.assignments);
            }
            diff(out, "fixture object", fixtureObjects, after.fixtureObjects);
            diff(out, "file", files, after.files);
            // The whole engine: other test runs may share it, so a change there is a failure only when
            // it touches this fixture's objects (above) or the guard saw Docksmith write (checked apart).
            Set<String> gone = new TreeSet<>(engine);
            gone.removeAll(after.engine);
            Set<String> added = new TreeSet<>(after.engine);
            added.removeAll(engine);
            List<String> mine = Stream.concat(gone.stream(), added.stream()).filter(fixture::owns).toList();
            if (!mine.isEmpty()) {
                out.add("the engine's view of the fixture changed: gone " + gone.stream().filter(fixture::owns).toList()
                        + ", new " + added.stream().filter(fixture::owns).toList());
            }
            if (!gone.isEmpty() || !added.isEmpty()) {
                System.out.println("FuzzIT: the engine changed during the run outside this fixture (other tests share it; the guard saw "
                        + guard.writes().size() + " write(s) by Docksmith): " + gone.size() + " gone, " + added.size() + " new"
                        + (gone.size() + added.size() <= 20 ? ": gone " + gone + ", new " + added : ""));
            }
            return out;
        }

        private static void diff(List<String> out, String what, Map<String, String> before, Map<String, String> after) {
            Set<String> keys = new TreeSet<>(before.keySet());
            keys.addAll(after.keySet());
            for (String k : keys) {
                String a = before.get(k);
                String b = after.get(k);
                if (a == null ? b != null : !a.equals(b)) {
                    out.add(what + " " + k + " changed: " + a + " -> " + b);
                }
            }
        }
    }

    /** Containers (id, name, state, image), images, networks and volumes of the whole engine, one line each. */
    static Set<String> engineState() {
        Set<String> lines = new TreeSet<>();
        for (String l : RealEngine.docker("ps", "-a", "--no-trunc", "--format", "container {{.ID}} {{.Names}} {{.State}} {{.Image}}").split("\n")) {
            lines.add(l.trim());
        }
        for (String l : RealEngine.docker("images", "-a", "--no-trunc", "--format", "image {{.ID}} {{.Repository}}:{{.Tag}}").split("\n")) {
            lines.add(l.trim());
        }
        for (String l : RealEngine.docker("network", "ls", "--no-trunc", "--format", "network {{.ID}} {{.Name}}").split("\n")) {
            lines.add(l.trim());
        }
        for (String l : RealEngine.docker("volume", "ls", "--format", "volume {{.Name}}").split("\n")) {
            lines.add(l.trim());
        }
        lines.remove("");
        return lines;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---------------------------------------------------------------- fixture

    /**
     * The objects names may resolve to: two standalone containers (one running, one only created), a
     * compose v2 project of two services, a network, a volume, an extra tag of the demo image, a
     * scripts directory with two scripts and, next to it, a script that must never run (it leaves a
     * mark). Everything carries the run's unique id and the test label.
     */
    static final class Fixture implements AutoCloseable {
        final String id = RealEngine.unique("fz");
        final String running = id + "-run";
        final String created = id + "-new";
        final String project = id.replace("-", "");
        final String network = id + "-net";
        final String volume = id + "-vol";
        final String image = "localhost:5000/docksmith-fuzz/" + id + ":1.0.0";
        final Path composeDir;
        final Path scripts;
        final Path outsideDir;
        final Path mark;
        final List<String> containers = new ArrayList<>();
        final String updateOperation = "op_" + id.replace("-", "_") + "_update";
        final String restartOperation = "op_" + id.replace("-", "_") + "_restart";
        String runningId;
        String networkId;

        private Fixture(Path dir) {
            composeDir = dir.resolve("compose");
            outsideDir = dir.resolve("outside");
            scripts = outsideDir.resolve("scripts");
            mark = dir.resolve("outside-script-ran");
        }

        static Fixture create(Path dir) throws IOException {
            Fixture f = new Fixture(dir);
            try {
                f.build();
                return f;
            } catch (RuntimeException | Error | IOException e) {
                f.close();
                throw e;
            }
        }

        private void build() throws IOException {
            for (String existing : engineState()) {
                if (existing.contains(FuzzInputs.NOPE)) {
                    throw new IllegalStateException("the engine has an object in the fuzzer's never-exists namespace: " + existing);
                }
            }
            Files.createDirectories(scripts.resolve("sub"));
            Files.createDirectories(composeDir);
            script(scripts.resolve("ok.sh"), "#!/bin/sh\nexit 0\n");
            script(scripts.resolve("sub/nested.sh"), "#!/bin/sh\nexit 0\n");
            Files.writeString(scripts.resolve("readme.txt"), "not a script\n");
            script(outsideDir.resolve("outside.sh"), "#!/bin/sh\ntouch '" + mark + "'\nexit 0\n");
            script(outsideDir.getParent().resolve("sibling.sh"), "#!/bin/sh\ntouch '" + mark + "'\nexit 0\n");

            RealEngine.runDemo(running, "--label", FUZZ_LABEL + "=" + id, "--label", "docksmith.restart-after=" + id + "-nothing");
            containers.add(running);
            RealEngine.docker("create", "--name", created, "--label", RealEngine.TEST_LABEL, "--label", FUZZ_LABEL + "=" + id,
                    "--network", "none", RealEngine.DEMO_1);
            containers.add(created);
            runningId = RealEngine.docker("inspect", "--format", "{{.Id}}", running);

            Files.writeString(composeDir.resolve("compose.yml"), """
                    # FuzzIT: must stay byte for byte
                    services:
                      web:
                        image: %1$s
                        network_mode: none
                        depends_on: [db]
                        labels:
                          - "%2$s=true"
                          - "%3$s=%4$s"
                      db:
                        image: "%1$s"   # quoted on purpose
                        network_mode: none
                        labels:
                          %2$s: "true"
                          %3$s: %4$s
                    """.formatted(RealEngine.DEMO_1, RealEngine.TEST_LABEL.split("=")[0], FUZZ_LABEL, id));
            Files.writeString(composeDir.resolve(".env"), "UNUSED=1\n");
            RealEngine.Result up = RealEngine.run(List.of("docker", "compose", "-p", project, "-f",
                    composeDir.resolve("compose.yml").toString(), "up", "-d"));
            if (up.exit() != 0) {
                throw new IllegalStateException("compose up failed: " + up.output());
            }
            containers.add(project + "-web-1");
            containers.add(project + "-db-1");

            networkId = RealEngine.docker("network", "create", "--label", RealEngine.TEST_LABEL, "--label", FUZZ_LABEL + "=" + id, network);
            RealEngine.docker("volume", "create", "--label", RealEngine.TEST_LABEL, "--label", FUZZ_LABEL + "=" + id, volume);
            RealEngine.docker("tag", RealEngine.DEMO_1, image);
        }

        private static void script(Path p, String text) throws IOException {
            Files.writeString(p, text);
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        }

        /** Recorded operations and a script assignment, so ids and names in the store resolve too. */
        void seed(InMemoryStore s) {
            Instant t = Instant.parse("2024-01-15T10:30:00Z");
            s.save(new Operation(updateOperation, "update", OperationStatus.COMPLETE, running, null, "0.9.0", "1.0.0", t,
                    t.plusSeconds(30), null, Map.of(StoredPlan.PREVIOUS_IMAGE, RealEngine.DEMO_REPO + ":0.9.0")));
            s.save(new Operation(restartOperation, "restart", OperationStatus.COMPLETE, running, null, null, null, t.plusSeconds(60),
                    t.plusSeconds(61), null, Map.of()));
            s.settings().put(PreUpdateChecks.ASSIGNMENTS, running, "ok.sh");
        }

        FuzzInputs.Reals reals() {
            Map<ParamKind, List<String>> names = new LinkedHashMap<>();
            List<String> c = new ArrayList<>(containers);
            c.add(runningId);
            c.add(runningId.substring(0, 12));
            c.add("/" + running);
            names.put(ParamKind.CONTAINER, List.copyOf(c));
            names.put(ParamKind.STACK, List.of(project));
            names.put(ParamKind.IMAGE, List.of(image));
            names.put(ParamKind.NETWORK, List.of(network, networkId));
            names.put(ParamKind.VOLUME, List.of(volume));
            names.put(ParamKind.OPERATION, List.of(updateOperation, restartOperation));
            List<String> outside = List.of("../outside.sh", "../../sibling.sh", outsideDir.resolve("outside.sh").toString(),
                    scripts.resolve("../outside.sh").toString(), "/etc/passwd", "/bin/sh", FuzzInputs.NOPE + "x.sh", "..", ".",
                    "sub", "ok.sh/..", "sub/../../outside.sh", "%2e%2e/outside.sh", "ok.sh\u0000", "readme.txt", "~/x",
                    "$HOME/x", "C:\\x", "\u540d\u524d.sh", "sub/", scripts.toString(), "//etc/passwd", "\u0000",
                    "..\\outside.sh", "ok.sh/../../outside.sh", "file:///etc/passwd", " ok.sh", "ok.sh ", "OK.sh", "ok.sh\n",
                    "ok.sh\t", "\u200bok.sh");
            return new FuzzInputs.Reals(names, "ok.sh", updateOperation, outside);
        }

        /** The fixture's objects as the engine reports them. */
        Map<String, String> objects() {
            Map<String, String> m = new TreeMap<>();
            for (String c : containers) {
                m.put("container " + c, RealEngine.run(List.of("docker", "inspect", "--format",
                        "{{.Id}} {{.Name}} {{.State.Status}} {{.Config.Image}} {{.Image}} started={{.State.StartedAt}} "
                                + "finished={{.State.FinishedAt}} restarts={{.RestartCount}} labels={{json .Config.Labels}}", c)).output().trim());
            }
            m.put("network " + network, RealEngine.run(List.of("docker", "network", "inspect", "--format", "{{.Id}} {{.Name}}", network))
                    .output().trim());
            m.put("volume " + volume, RealEngine.run(List.of("docker", "volume", "inspect", "--format", "{{.Name}} {{.Mountpoint}}", volume))
                    .output().trim());
            m.put("image " + image, RealEngine.run(List.of("docker", "image", "inspect", "--format", "{{.Id}} {{json .RepoTags}}", image))
                    .output().trim());
            m.put("outside script mark", Files.exists(mark) ? "an outside script RAN" : "absent");
            return m;
        }

        /** True when an engine-state line is about this fixture. */
        boolean owns(String line) {
            return line.contains(id) || line.contains(project) || (runningId != null && line.contains(runningId))
                    || (networkId != null && line.contains(networkId));
        }

        @Override
        public void close() {
            for (String c : containers) {
                RealEngine.dockerQuietly("rm", "-f", "-v", c);
            }
            RealEngine.run(List.of("docker", "compose", "-p", project, "-f", composeDir.resolve("compose.yml").toString(),
                    "down", "-t", "1", "-v", "--remove-orphans"));
            // Anything left with the run's label (a leftover of a crashed run included).
            for (String kind : List.of("container", "network", "volume")) {
                List<String> ls = new ArrayList<>(List.of("docker", kind, "ls", "-q", "--filter", "label=" + FUZZ_LABEL + "=" + id));
                if (kind.equals("container")) {
                    ls.add("-a");
                }
                String ids = RealEngine.run(ls).output().trim();
                for (String leftover : ids.isEmpty() ? new String[0] : ids.split("\\s+")) {
                    if (kind.equals("container")) {
                        RealEngine.dockerQuietly("rm", "-f", "-v", leftover);
                    } else {
                        RealEngine.dockerQuietly(kind, "rm", leftover);
                    }
                }
            }
            RealEngine.dockerQuietly("network", "rm", network);
            RealEngine.dockerQuietly("volume", "rm", volume);
            RealEngine.dockerQuietly("rmi", image);
        }
    }
}
