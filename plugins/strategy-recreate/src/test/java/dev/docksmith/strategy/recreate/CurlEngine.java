package dev.docksmith.strategy.recreate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.docksmith.api.ContainerInfo;
import dev.docksmith.api.DockerException;
import dev.docksmith.api.NotFoundException;
import dev.docksmith.spi.DockerEngine;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A minimal real engine facade for tests: the Engine API over {@code curl --unix-socket}. */
final class CurlEngine implements DockerEngine {
    static final String SOCKET = "/var/run/docker.sock";
    private static final ObjectMapper JSON = new ObjectMapper();

    record Response(int status, String body) {
    }

    static Response call(String method, String path, String body) {
        List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "--max-time", "120", "--unix-socket", SOCKET,
                "-X", method, "-w", "\n%{http_code}"));
        if (body != null) {
            cmd.addAll(List.of("-H", "Content-Type: application/json", "--data-binary", "@-"));
        }
        cmd.add("http://localhost/v1.41" + path);
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            try (OutputStream in = p.getOutputStream()) {
                if (body != null) {
                    in.write(body.getBytes(StandardCharsets.UTF_8));
                }
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(130, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new DockerException(0, "curl " + method + " " + path + " failed: " + out.trim());
            }
            int nl = out.lastIndexOf('\n');
            return new Response(Integer.parseInt(out.substring(nl + 1).trim()), out.substring(0, nl));
        } catch (IOException e) {
            throw new DockerException(0, "curl: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DockerException(0, "interrupted");
        }
    }

    private static Response ok(String method, String path, String body) {
        Response r = call(method, path, body);
        if (r.status == 404) {
            throw new NotFoundException(method + " " + path + ": " + r.body.trim());
        }
        if (r.status >= 400) {
            throw new DockerException(r.status, method + " " + path + ": " + r.body.trim());
        }
        return r;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Override
    public List<ContainerInfo> containers() {
        List<ContainerInfo> out = new ArrayList<>();
        try {
            for (JsonNode c : JSON.readTree(ok("GET", "/containers/json?all=1", null).body)) {
                out.add(container(c.path("Id").asText()));
            }
        } catch (IOException e) {
            throw new DockerException(0, e.getMessage(), e);
        }
        return out;
    }

    @Override
    public ContainerInfo container(String nameOrId) {
        try {
            JsonNode i = JSON.readTree(inspectJson(nameOrId));
            Map<String, String> labels = new HashMap<>();
            i.path("Config").path("Labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
            return new ContainerInfo(i.path("Id").asText(), i.path("Name").asText().replaceFirst("^/", ""),
                    i.path("Config").path("Image").asText(), i.path("Image").asText(), i.path("State").path("Status").asText(),
                    labels, Instant.parse(i.path("Created").asText()));
        } catch (IOException e) {
            throw new DockerException(0, e.getMessage(), e);
        }
    }

    @Override
    public void start(String id) {
        ok("POST", "/containers/" + enc(id) + "/start", null);
    }

    @Override
    public void stop(String id, Duration timeout) {
        ok("POST", "/containers/" + enc(id) + "/stop?t=" + timeout.toSeconds(), null);
    }

    @Override
    public void rename(String id, String newName) {
        ok("POST", "/containers/" + enc(id) + "/rename?name=" + enc(newName), null);
    }

    @Override
    public void remove(String id, boolean force) {
        ok("DELETE", "/containers/" + enc(id) + "?force=" + force, null);
    }

    @Override
    public String inspectJson(String nameOrId) {
        return ok("GET", "/containers/" + enc(nameOrId) + "/json", null).body;
    }

    @Override
    public String create(String name, String createBodyJson) {
        try {
            return JSON.readTree(ok("POST", "/containers/create?name=" + enc(name), createBodyJson).body).path("Id").asText();
        } catch (IOException e) {
            throw new DockerException(0, e.getMessage(), e);
        }
    }

    @Override
    public void pull(String reference) {
        int slash = reference.lastIndexOf('/');
        int colon = reference.lastIndexOf(':');
        String repo = colon > slash ? reference.substring(0, colon) : reference;
        String tag = colon > slash ? reference.substring(colon + 1) : "latest";
        Response r = ok("POST", "/images/create?fromImage=" + enc(repo) + "&tag=" + enc(tag), null);
        // the engine streams progress with status 200 and reports a failure as an "error" line
        for (String line : r.body.split("\n")) {
            if (line.contains("\"error\"")) {
                throw new DockerException(500, "pull " + reference + ": " + line.trim());
            }
        }
    }
}
