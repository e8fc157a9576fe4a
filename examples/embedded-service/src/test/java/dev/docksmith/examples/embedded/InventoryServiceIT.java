package dev.docksmith.examples.embedded;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The example service against the real engine: its own route and Docksmith's mounted routes answer
 * on one server, and an update made through the mounted API shows in the service's own update log.
 */
class InventoryServiceIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String DEMO = "localhost:5000/docksmith/demo";
    final HttpClient http = HttpClient.newHttpClient();

    @Test
    void theServiceAnswersItsOwnRouteAndDocksmithsOnOneServer(@TempDir Path data) throws Exception {
        requireEngine();
        String name = "inventory-demo-" + Long.toString(System.nanoTime(), 36);
        docker("run", "-d", "--name", name, "--label", "dev.docksmith.test=true", "--network", "none", DEMO + ":1.0.0");
        try (InventoryService service = new InventoryService(0, data)) {
            String base = "http://127.0.0.1:" + service.port();
            assertEquals("ok", get(base + "/inventory/health").path("status").asText());
            assertEquals("ok", get(base + "/docksmith/api/health").path("status").asText());

            JsonNode check = get(base + "/docksmith/api/container/" + name + "/recheck").path("data");
            assertEquals("UPDATE_AVAILABLE", check.path("status").asText(), check.toString());

            HttpResponse<String> started = http.send(HttpRequest.newBuilder(URI.create(base + "/docksmith/api/update"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"container\":\"" + name + "\",\"version\":\"1.1.0\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, started.statusCode(), started.body());
            String op = JSON.readTree(started.body()).path("data").path("operation_id").asText();
            Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
            String status = "";
            while (Instant.now().isBefore(deadline) && !status.equals("complete") && !status.equals("failed")
                    && !status.equals("rolled_back")) {
                Thread.sleep(200);
                status = get(base + "/docksmith/api/operations/" + op).path("data").path("status").asText();
            }
            assertEquals("complete", status);
            // The event reaches the service's listener just after the operation is recorded.
            JsonNode updates = JSON.createArrayNode();
            for (int i = 0; i < 50 && updates.isEmpty(); i++) {
                updates = get(base + "/inventory/updates").path("updates");
                Thread.sleep(100);
            }
            assertEquals(name + " 1.0.0 -> 1.1.0", updates.path(0).asText(), updates.toString());
        } finally {
            docker("rm", "-f", name);
        }
    }

    private JsonNode get(String url) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), url + " -> " + r.body());
        return JSON.readTree(r.body());
    }

    private static void requireEngine() throws Exception {
        if (run("docker", "version", "--format", "{{.Server.APIVersion}}") == 0) {
            return;
        }
        if (Boolean.getBoolean("docksmith.requireDocker")) {
            Assertions.fail("no Docker engine answers and docksmith.requireDocker=true");
        }
        Assumptions.abort("no Docker engine answers; start one with scripts/test-env.sh up");
    }

    private static void docker(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("docker"));
        command.addAll(List.of(args));
        assertEquals(0, run(command.toArray(String[]::new)), String.join(" ", command));
    }

    private static int run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int exit = p.waitFor();
        if (exit != 0) {
            System.err.println(String.join(" ", command) + " -> " + exit + ": " + out);
        }
        return exit;
    }
}
