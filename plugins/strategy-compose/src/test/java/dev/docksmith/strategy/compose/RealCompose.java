package dev.docksmith.strategy.compose;

import dev.docksmith.api.ContainerInfo;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The real engine and compose CLIs, as the compose integration tests use them. */
final class RealCompose {
    static final String DEMO = "localhost:5000/docksmith/demo";

    private RealCompose() {
    }

    /** A command's exit code and combined output. */
    record Result(int exit, String output) {
    }

    /** Skips the calling test loudly without an engine; fails instead under -Ddocksmith.requireDocker=true (CI). */
    static void requireEngine(String testName) {
        Result r = run(List.of("docker", "version", "--format", "{{.Server.APIVersion}}"), null);
        if (r.exit == 0) {
            return;
        }
        String message = "no Docker engine answers (" + r.output.trim() + "); start one with: sudo scripts/test-env.sh up";
        if (Boolean.getBoolean("docksmith.requireDocker")) {
            Assertions.fail("docksmith.requireDocker=true and " + message);
        }
        System.err.println("\n*** SKIPPING INTEGRATION TEST " + testName + ": " + message + " ***\n");
        Assumptions.abort(message);
    }

    /** Builds the container as discovery would, from {@code docker inspect}. */
    static ContainerInfo inspect(String project, String service) {
        String id = run(List.of("docker", "ps", "-aq", "--no-trunc", "--filter", "label=com.docker.compose.project=" + project,
                "--filter", "label=com.docker.compose.service=" + service), null).output.trim();
        assertTrue(id.matches("[0-9a-f]{64}"), "one container for " + service + ": " + id);
        Result r = run(List.of("docker", "inspect", "--format",
                "{{.Name}}\n{{.Config.Image}}\n{{.Image}}\n{{.State.Status}}\n"
                        + "{{range $k, $v := .Config.Labels}}{{$k}}={{$v}}\n{{end}}", id), null);
        assertEquals(0, r.exit, r.output);
        String[] lines = r.output.split("\n");
        Map<String, String> labels = new HashMap<>();
        for (int i = 4; i < lines.length; i++) {
            int eq = lines[i].indexOf('=');
            if (eq > 0) {
                labels.put(lines[i].substring(0, eq), lines[i].substring(eq + 1));
            }
        }
        return new ContainerInfo(id, lines[0].substring(1), lines[1], lines[2], lines[3], labels, Instant.now());
    }

    /** Removes whatever containers of the project a failed {@code down} left behind. */
    static void removeLeftovers(String project) {
        String leftovers = run(List.of("docker", "ps", "-aq", "--filter", "label=com.docker.compose.project=" + project), null)
                .output.trim();
        if (!leftovers.isEmpty()) {
            run(concat(List.of("docker", "rm", "-f"), List.of(leftovers.split("\\s+"))), null);
        }
    }

    @SafeVarargs
    static List<String> concat(List<String>... parts) {
        List<String> all = new ArrayList<>();
        for (List<String> part : parts) {
            all.addAll(part);
        }
        return all;
    }

    /** Runs a command in {@code dir} (or here), without the variables named in {@code unset}, with a time limit. */
    static Result run(List<String> command, Path dir, String... unset) {
        try {
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
            if (dir != null) {
                pb.directory(dir.toFile());
            }
            for (String name : unset) {
                pb.environment().remove(name);
            }
            Process p = pb.start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, "timed out: " + String.join(" ", command));
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new Result(-1, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        }
    }
}
