package dev.docksmith.runtime.update;

import com.fasterxml.jackson.databind.JsonNode;
import dev.docksmith.api.DockerException;
import dev.docksmith.runtime.docker.DockerClient;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * Decides whether a freshly recreated container is good: {@code healthy} when its image or config
 * has a healthcheck (within a timeout), otherwise {@code running} and still running, not restarted,
 * after a grace period. A container that exits, turns unhealthy or keeps restarting fails at once.
 */
public final class HealthGate {
    /** How often the engine is asked; the healthchecks of real images run every few seconds. */
    private static final Duration POLL = Duration.ofMillis(250);
    private static final int LOG_LINES = 5;

    private final DockerClient docker;
    private final Clock clock;
    private final Duration healthTimeout;
    private final Duration grace;

    public HealthGate(DockerClient docker, Clock clock, Duration healthTimeout, Duration grace) {
        this.docker = docker;
        this.clock = clock;
        this.healthTimeout = healthTimeout;
        this.grace = grace;
    }

    /** What the gate found: passed or not, and a sentence saying why. */
    public record Verdict(boolean passed, String message) {
    }

    /** Waits for the container (by name) to prove itself; {@code progress} hears how it goes. */
    public Verdict await(String name, Consumer<String> progress) {
        JsonNode first = docker.inspectContainer(name);
        boolean hasHealthcheck = first.path("State").has("Health");
        Instant start = clock.instant();
        Instant deadline = start.plus(hasHealthcheck ? healthTimeout : grace);
        String startedAt = first.path("State").path("StartedAt").asText("");
        int restarts = first.path("RestartCount").asInt(0);
        progress.accept(hasHealthcheck
                ? "waiting up to " + healthTimeout.toSeconds() + "s for " + name + " to report healthy"
                : "no healthcheck: " + name + " must keep running for " + grace.toSeconds() + "s");
        while (true) {
            JsonNode c = docker.inspectContainer(name);
            JsonNode state = c.path("State");
            if (!state.path("Running").asBoolean(false) || state.path("Restarting").asBoolean(false)) {
                return new Verdict(false, name + " is " + state.path("Status").asText("not running")
                        + " (exit code " + state.path("ExitCode").asInt() + ")" + lastLines(name));
            }
            if (c.path("RestartCount").asInt(0) != restarts || !startedAt.equals(state.path("StartedAt").asText(""))) {
                return new Verdict(false, name + " restarted during the health gate" + lastLines(name));
            }
            if (hasHealthcheck) {
                String health = state.path("Health").path("Status").asText("");
                if (health.equals("healthy")) {
                    return new Verdict(true, name + " is healthy");
                }
                if (health.equals("unhealthy")) {
                    return new Verdict(false, name + " is unhealthy" + lastProbe(state.path("Health")));
                }
            }
            if (!clock.instant().isBefore(deadline)) {
                return hasHealthcheck
                        ? new Verdict(false, name + " did not become healthy within " + healthTimeout.toSeconds() + "s"
                        + lastProbe(state.path("Health")))
                        : new Verdict(true, name + " kept running for " + grace.toSeconds() + "s");
            }
            sleep();
        }
    }

    private static String lastProbe(JsonNode health) {
        JsonNode log = health.path("Log");
        if (!log.isArray() || log.isEmpty()) {
            return "";
        }
        String output = log.get(log.size() - 1).path("Output").asText("").strip();
        return output.isEmpty() ? "" : "; last probe said: " + output;
    }

    private String lastLines(String name) {
        try {
            String logs = docker.logs(name, LOG_LINES, null, false).strip();
            return logs.isEmpty() ? "" : "; last output: " + logs;
        } catch (DockerException e) {
            return "";
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(POLL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the health gate", e);
        }
    }
}
