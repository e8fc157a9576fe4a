package dev.docksmith.strategy.compose;

import dev.docksmith.api.ContainerInfo;
import dev.docksmith.api.DocksmithException;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Runs the compose CLI: directly (no shell, so nothing in a label or file name is ever interpreted),
 * in the project's directory, with a timeout, keeping the last lines of output for error messages.
 */
class ComposeCli { // not final: tests replace the process with a script
    static final List<String> V1 = List.of("docker-compose");
    static final List<String> V2 = List.of("docker", "compose");
    /** Compose writes the version that created the container here: 1.x is docker-compose, 2.x the plugin. */
    static final String VERSION_LABEL = "com.docker.compose.version";
    /** The CLIs that answered {@code version} once (see {@link #works}). */
    private final Set<List<String>> working = ConcurrentHashMap.newKeySet();
    private static final int TAIL_LINES = 15;
    private static final System.Logger LOG = System.getLogger(ComposeCli.class.getName());
    private static final Duration INSPECT_TIMEOUT = Duration.ofSeconds(30);
    /** One line per container; the labels as JSON, since a value may hold any character but a line break escaped. */
    private static final String INSPECT_FORMAT =
            "{{.Id}}\t{{.Name}}\t{{.State.Status}}\t{{.Config.Image}}\t{{.Image}}\t{{json .Config.Labels}}";
    private static final String ONE_OFF_LABEL = "com.docker.compose.oneoff";

    /** What a command did. {@code exit} is -1 when it could not start or timed out. */
    record Result(int exit, String tail, Duration took) {
        boolean ok() {
            return exit == 0;
        }
    }

    /**
     * One of a service's containers as the engine reports it, for a recovery to compare with the plan.
     *
     * @param state   the engine's state ({@code running}, {@code exited}, ...)
     * @param image   the image reference it was created from
     * @param imageId the id of the image it runs
     */
    record ServiceContainer(String id, String name, String state, String image, String imageId, Map<String, String> labels) {
        /** A {@code compose run} container, which is not the service's own. */
        boolean oneOff() {
            return "true".equalsIgnoreCase(labels.get(ONE_OFF_LABEL));
        }

        /**
         * Compose v2 renames the container it replaces to {@code <12 hex of its id>_<name>} while it
         * recreates; an interrupted recreate leaves it behind, and the next {@code up} trips over it.
         */
        boolean leftOverFromARecreate() {
            String n = name == null ? "" : name.startsWith("/") ? name.substring(1) : name;
            return n.matches("[0-9a-f]{12}_.+");
        }
    }

    /**
     * The containers of a compose service, running or not, found by compose's labels (as many as the
     * output tail keeps: a recovery only needs to know whether any is missing or differs).
     *
     * @throws DocksmithException when the docker CLI fails
     */
    List<ServiceContainer> containers(String project, String service) {
        Result ps = run(List.of("docker", "ps", "-aq", "--no-trunc",
                "--filter", "label=" + ContainerInfo.COMPOSE_PROJECT + "=" + project,
                "--filter", "label=" + ContainerInfo.COMPOSE_SERVICE + "=" + service), null, INSPECT_TIMEOUT);
        if (!ps.ok()) {
            throw new DocksmithException("docker ps failed (exit " + ps.exit() + "): " + ps.tail());
        }
        List<String> ids = ps.tail().lines().map(String::strip).filter(l -> l.matches("[0-9a-f]{64}")).toList();
        if (ids.isEmpty()) {
            return List.of();
        }
        List<String> inspect = new ArrayList<>(List.of("docker", "inspect", "--format", INSPECT_FORMAT));
        inspect.addAll(ids);
        Result r = run(inspect, null, INSPECT_TIMEOUT);
        if (!r.ok()) {
            throw new DocksmithException("docker inspect failed (exit " + r.exit() + "): " + r.tail());
        }
        List<ServiceContainer> out = new ArrayList<>();
        for (String line : r.tail().split("\n")) {
            String[] f = line.split("\t", 6);
            if (f.length == 6 && ids.contains(f[0])) {
                out.add(new ServiceContainer(f[0], f[1], f[2], f[3], f[4], labels(f[5])));
            }
        }
        return out;
    }

    /** Removes a container, running or not; false when the engine refused. */
    boolean remove(String id) {
        return run(List.of("docker", "rm", "-f", id), null, INSPECT_TIMEOUT).ok();
    }

    /** JSON is YAML: the YAML reader already here parses the engine's labels object. */
    private static Map<String, String> labels(String json) {
        try {
            Object o = new Load(LoadSettings.builder().build()).loadFromString(json);
            Map<String, String> labels = new HashMap<>();
            if (o instanceof Map<?, ?> m) {
                m.forEach((k, v) -> labels.put(String.valueOf(k), v == null ? "" : String.valueOf(v)));
            }
            return labels;
        } catch (YamlEngineException e) {
            throw new DocksmithException("docker inspect printed labels that are not JSON: " + e.getMessage());
        }
    }

    /**
     * The CLI that created the container, so container names ({@code proj_svc_1} vs {@code proj-svc-1})
     * and labels stay as they were; when its label is missing or that CLI is absent, whichever the host has.
     */
    List<String> commandFor(ContainerInfo container) {
        String version = container.labels().getOrDefault(VERSION_LABEL, "");
        List<String> preferred = version.startsWith("1.") ? V1 : version.isEmpty() ? null : V2;
        if (preferred != null && works(preferred)) {
            return preferred;
        }
        for (List<String> cli : List.of(V2, V1)) {
            if (cli != preferred && works(cli)) {
                return cli;
            }
        }
        // Neither answered: use the plugin and let the real command fail with its own message.
        return preferred != null ? preferred : V2;
    }

    /**
     * True when {@code <cli> version} answers. A yes is remembered: asking costs 90 ms for the plugin
     * and most of a second for v1 (Python start-up) on every update, and an installed CLI stays. A no
     * is asked again, so a CLI installed while Docksmith runs is found.
     */
    private boolean works(List<String> cli) {
        if (working.contains(cli)) {
            return true;
        }
        List<String> cmd = new ArrayList<>(cli);
        cmd.add("version");
        boolean ok = run(cmd, null, Duration.ofSeconds(20)).ok();
        if (ok) {
            working.add(cli);
        }
        return ok;
    }

    Result run(List<String> command, Path dir, Duration timeout) {
        long start = System.nanoTime();
        Result r = exec(command, dir, timeout);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        r = new Result(r.exit, r.tail, took);
        LOG.log(r.ok() ? System.Logger.Level.INFO : System.Logger.Level.WARNING,
                "{0} (in {1}) -> exit {2} in {3} ms", String.join(" ", command), dir, r.exit, took.toMillis());
        return r;
    }

    private static Result exec(List<String> command, Path dir, Duration timeout) {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        if (dir != null) {
            // Compose reads the default .env from its working directory, as when the user ran it.
            pb.directory(dir.toFile());
        }
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            return new Result(-1, "cannot run " + command.get(0) + ": " + e.getMessage(), Duration.ZERO);
        }
        Tail tail = new Tail(p.getInputStream());
        // Read on another thread: a full pipe would otherwise stall the CLI and defeat the timeout.
        Thread reader = new Thread(tail, "compose-output");
        reader.setDaemon(true);
        reader.start();
        try {
            p.getOutputStream().close();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                reader.join(2000);
                return new Result(-1, tail.text() + "\n(timed out after " + timeout.toSeconds() + " s)", Duration.ZERO);
            }
            reader.join(5000);
            return new Result(p.exitValue(), tail.text(), Duration.ZERO);
        } catch (IOException e) {
            return new Result(-1, e.getMessage(), Duration.ZERO);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            return new Result(-1, tail.text() + "\n(interrupted)", Duration.ZERO);
        }
    }

    /** Keeps the last lines of a stream, for messages; the rest is dropped as it arrives. */
    private static final class Tail implements Runnable {
        private final InputStream in;
        private final Deque<String> lines = new ArrayDeque<>();

        Tail(InputStream in) {
            this.in = in;
        }

        @Override
        public void run() {
            try (var r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    synchronized (lines) {
                        lines.addLast(line);
                        if (lines.size() > TAIL_LINES) {
                            lines.removeFirst();
                        }
                    }
                }
            } catch (IOException ignored) {
                // The process was killed; what was read is enough.
            }
        }

        String text() {
            synchronized (lines) {
                return String.join("\n", lines).strip();
            }
        }
    }
}
