package dev.docksmith.runtime.it;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real Docker engine the integration tests drive, reached with the {@code docker} CLI for set-up
 * so that fixtures do not depend on the client under test. When no engine answers, tests skip with a
 * loud message, unless {@code -Ddocksmith.requireDocker=true} (set by CI), where they fail.
 */
public final class RealEngine {
    /** Busybox-based test images that scripts/test-env.sh builds and pushes to the local registry. */
    public static final String DEMO_REPO = "localhost:5000/docksmith/demo";
    public static final String DEMO_1 = DEMO_REPO + ":1.0.0";
    public static final String DEMO_2 = DEMO_REPO + ":2.0.0";
    /** Label on everything tests create, so a failed run can be cleaned up by label. */
    public static final String TEST_LABEL = "dev.docksmith.test=true";

    private RealEngine() {
    }

    /** Skips or fails the calling test when no engine answers. */
    public static void require() {
        Result r = run(List.of("docker", "version", "--format", "{{.Server.APIVersion}}"));
        if (r.exit == 0) {
            return;
        }
        String message = "no Docker engine answers (" + r.output.trim() + "); start one with: sudo scripts/test-env.sh up";
        if (Boolean.getBoolean("docksmith.requireDocker")) {
            Assertions.fail("docksmith.requireDocker=true and " + message);
        }
        System.err.println("\n*** SKIPPING INTEGRATION TEST: " + message + " ***\n");
        Assumptions.abort(message);
    }

    /** Runs {@code docker <args>} and returns its trimmed output; fails the test when it fails. */
    public static String docker(String... args) {
        List<String> command = new ArrayList<>();
        command.add("docker");
        command.addAll(List.of(args));
        Result r = run(command);
        if (r.exit != 0) {
            Assertions.fail(String.join(" ", command) + " failed (" + r.exit + "): " + r.output);
        }
        return r.output.trim();
    }

    /** Runs {@code docker <args>} and ignores failure (for clean-up). */
    public static void dockerQuietly(String... args) {
        List<String> command = new ArrayList<>();
        command.add("docker");
        command.addAll(List.of(args));
        run(command);
    }

    /** Starts a long-running demo container and returns its name. */
    public static String runDemo(String name, String... extraArgs) {
        List<String> args = new ArrayList<>(List.of("run", "-d", "--name", name, "--label", TEST_LABEL, "--network", "none"));
        args.addAll(List.of(extraArgs));
        args.add(DEMO_1);
        docker(args.toArray(String[]::new));
        return name;
    }

    /** A name unique to this run, so parallel or leftover runs never collide. */
    public static String unique(String prefix) {
        return prefix + "-" + Long.toString(System.nanoTime(), 36);
    }

    /** Runs any command with a time limit and returns its exit code and output. */
    public static Result run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
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

    public record Result(int exit, String output) {
    }
}
