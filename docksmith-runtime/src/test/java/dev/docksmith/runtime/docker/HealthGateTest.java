package dev.docksmith.runtime.docker;

import dev.docksmith.runtime.update.HealthGate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The health gate against a fake engine that answers a scripted series of inspect documents (it
 * lives here, beside the fake engine, which is this package's). Each answer is used once, the last
 * one from then on.
 */
class HealthGateTest {
    @TempDir
    Path dir;
    FakeEngine engine;
    DockerClient client;
    final List<String> heard = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        engine = FakeEngine.start(dir.resolve("docker.sock"));
        client = DockerClient.create(engine.host(), Duration.ofSeconds(5));
        engine.on("GET", "/containers/web/logs", (r, x) -> x.respond(200, java.util.Map.of("Content-Type", "application/vnd.docker.raw-stream"),
                "boom: config missing\n"));
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        engine.close();
    }

    private HealthGate.Verdict gate(Duration timeout, Duration grace, String... states) {
        List<String> answers = new ArrayList<>(List.of(states));
        AtomicInteger next = new AtomicInteger();
        engine.on("GET", "/containers/web/json", (r, x) ->
                x.json(200, answers.get(Math.min(next.getAndIncrement(), answers.size() - 1))));
        return new HealthGate(client, Clock.systemUTC(), timeout, grace).await("web", heard::add);
    }

    private static String running(String health, int restarts) {
        String h = health == null ? "" : ",\"Health\":{\"Status\":\"" + health + "\",\"Log\":[{\"Output\":\"wget: 404 Not Found\"}]}";
        return "{\"RestartCount\":" + restarts + ",\"State\":{\"Status\":\"running\",\"Running\":true,\"Restarting\":false,"
                + "\"StartedAt\":\"2026-11-27T00:00:00Z\"" + h + "}}";
    }

    private static final String EXITED = "{\"RestartCount\":0,\"State\":{\"Status\":\"exited\",\"Running\":false,\"ExitCode\":3,"
            + "\"StartedAt\":\"2026-11-27T00:00:00Z\"}}";

    @Test
    void aHealthcheckMustSayHealthy() {
        HealthGate.Verdict v = gate(Duration.ofSeconds(10), Duration.ZERO, running("starting", 0), running("starting", 0), running("healthy", 0));
        assertTrue(v.passed(), v.message());
        assertTrue(heard.get(0).startsWith("waiting up to 10s for web to report healthy"), heard.toString());
    }

    @Test
    void unhealthyFailsAtOnceWithTheLastProbe() {
        HealthGate.Verdict v = gate(Duration.ofSeconds(10), Duration.ZERO, running("starting", 0), running("unhealthy", 0));
        assertFalse(v.passed());
        assertTrue(v.message().equals("web is unhealthy; last probe said: wget: 404 Not Found"), v.message());
    }

    @Test
    void aHealthcheckThatNeverAnswersTimesOut() {
        long t0 = System.nanoTime();
        HealthGate.Verdict v = gate(Duration.ofMillis(700), Duration.ZERO, running("starting", 0));
        assertFalse(v.passed());
        assertTrue(v.message().startsWith("web did not become healthy within"), v.message());
        assertTrue(System.nanoTime() - t0 >= 700_000_000L, "it waited the timeout");
    }

    @Test
    void withoutAHealthcheckItMustKeepRunningThroughTheGrace() {
        long t0 = System.nanoTime();
        HealthGate.Verdict v = gate(Duration.ofSeconds(10), Duration.ofMillis(600), running(null, 0));
        assertTrue(v.passed(), v.message());
        assertTrue(System.nanoTime() - t0 >= 600_000_000L, "it watched for the whole grace period");
    }

    @Test
    void exitingDuringTheGraceFailsWithTheExitCodeAndLastOutput() {
        HealthGate.Verdict v = gate(Duration.ofSeconds(10), Duration.ofSeconds(5), running(null, 0), EXITED);
        assertFalse(v.passed());
        assertTrue(v.message().startsWith("web is exited (exit code 3)"), v.message());
        assertTrue(v.message().contains("boom: config missing"), v.message());
    }

    @Test
    void aRestartDuringTheGateFailsIt() {
        HealthGate.Verdict v = gate(Duration.ofSeconds(10), Duration.ofSeconds(5), running(null, 0), running(null, 1));
        assertFalse(v.passed());
        assertTrue(v.message().startsWith("web restarted during the health gate"), v.message());
    }
}
