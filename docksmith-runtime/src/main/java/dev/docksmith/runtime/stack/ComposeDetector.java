package dev.docksmith.runtime.stack;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Finds which compose commands this host has: the v2 plugin ({@code docker compose}) and the v1
 * binary ({@code docker-compose}). Asked once and remembered: the answer only changes when someone
 * installs packages, and running the CLI costs tens of milliseconds.
 */
public final class ComposeDetector {
    private static final System.Logger LOG = System.getLogger(ComposeDetector.class.getName());

    /** What was found; versions are empty when that flavour is missing. */
    public record Found(Optional<String> v2, Optional<String> v1) {
        /** The command a new compose operation would use: v2 when present. */
        public Optional<String> preferred() {
            return v2.map(v -> "docker compose").or(() -> v1.map(v -> "docker-compose"));
        }
    }

    private volatile Found found;

    public Found find() {
        Found f = found;
        if (f == null) {
            f = new Found(version(List.of("docker", "compose", "version", "--short")),
                    version(List.of("docker-compose", "version", "--short")));
            found = f;
        }
        return f;
    }

    static Optional<String> version(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getOutputStream().close();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                LOG.log(System.Logger.Level.WARNING, "{0} did not answer within 10s", String.join(" ", command));
                return Optional.empty();
            }
            String out;
            try (InputStream in = p.getInputStream()) {
                out = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
            }
            return p.exitValue() == 0 && !out.isEmpty() ? Optional.of(out.lines().findFirst().orElse(out)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty(); // not installed
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
