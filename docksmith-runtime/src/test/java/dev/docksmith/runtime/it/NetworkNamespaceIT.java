package dev.docksmith.runtime.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.docksmith.runtime.it.UpdateFixture.DEMO;
import static dev.docksmith.runtime.it.UpdateFixture.compose;
import static dev.docksmith.runtime.it.UpdateFixture.composeUp;
import static dev.docksmith.runtime.it.UpdateFixture.containerName;
import static dev.docksmith.runtime.it.UpdateFixture.imageOf;
import static dev.docksmith.runtime.it.UpdateFixture.stateOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The VPN sidecar pattern: {@code app} lives in {@code vpn}'s network namespace ({@code network_mode:
 * "service:vpn"}, {@code --network container:vpn}). The engine pins vpn's id in app's NetworkMode, so
 * updating vpn (a new container) left app running with only {@code lo}. Here app must follow vpn
 * through updates, rollbacks and restarts, and still reach vpn's httpd on 127.0.0.1.
 */
class NetworkNamespaceIT {
    /**
     * The dependent: waits for the page vpn serves on its own 127.0.0.1 (there only if they share the
     * namespace), exits 1 unless it says {@code %s}, then sleeps. {@code $$} is compose's {@code $}.
     */
    static final String APP_SCRIPT = "i=0; while [ $$i -lt 50 ]; do page=$$(wget -qO- http://127.0.0.1:8080/) && break;"
            + " i=$$((i+1)); sleep 0.2; done; case \"$$page\" in *'%s'*) ;; *) echo \"wrong vpn: $$page\"; exit 1;; esac;"
            + " trap 'exit 0' TERM; sleep 3600 & wait";

    static UpdateFixture fx;
    @TempDir
    static Path scripts;

    @BeforeAll
    static void start() {
        fx = new UpdateFixture(scripts);
    }

    @AfterAll
    static void stop() {
        if (fx != null) {
            fx.close();
        }
    }

    static String composeFile(String vpnImage, String appExpects) {
        return "services:\n"
                + "  vpn:\n"
                + "    image: " + vpnImage + "\n"
                + "    volumes: [\"/data\"]\n"
                + "  store:\n" // compose writes volumes_from as vpn's id
                + "    image: " + DEMO + ":1.0.0\n"
                + "    volumes_from: [\"vpn\"]\n"
                + "  app:\n"
                + "    image: " + DEMO + ":1.0.0\n"
                + "    network_mode: \"service:vpn\"\n"
                + "    command: [\"/bin/sh\", \"-c\", \"" + APP_SCRIPT.formatted(appExpects).replace("\"", "\\\"") + "\"]\n";
    }

    @ParameterizedTest
    @ValueSource(strings = {"v2", "v1"})
    void aComposeServiceInTheUpdatedServicesNetworkFollowsItThroughUpdateAndRollback(String flavour, @TempDir Path dir)
            throws Exception {
        String project = RealEngine.unique("ns" + flavour);
        Path file = dir.resolve("docker-compose.yml");
        Files.writeString(file, composeFile(DEMO + ":1.0.0", "demo "));
        composeUp(flavour, project, file);
        String vpn = containerName(flavour, project, "vpn");
        String app = containerName(flavour, project, "app");
        String store = containerName(flavour, project, "store");
        try {
            assertAttached(app, vpn, "demo 1.0.0");
            RealEngine.docker("exec", vpn, "sh", "-c", "echo kept > /data/marker");
            String op = fx.start("/api/update", "{\"container\":\"" + vpn + "\",\"version\":\"1.1.0\"}");
            JsonNode done = fx.await(op);
            assertEquals("complete", done.path("status").asText(), done.toString());
            assertEquals(DEMO + ":1.1.0", imageOf(vpn));
            assertAttached(app, vpn, "demo 1.1.0");
            String vpnId = RealEngine.docker("inspect", "--format", "{{.Id}}", vpn);
            assertTrue(RealEngine.docker("inspect", "--format", "{{json .HostConfig.VolumesFrom}}", store)
                    .matches("\\[\"" + vpnId + "(:rw)?\"]"), store + "'s volumes_from names vpn's new id");
            assertEquals("running", stateOf(store));
            assertEquals("kept", RealEngine.docker("exec", store, "cat", "/data/marker"));
            assertTrue(fx.stages(op).contains("restarting_dependents"), fx.stages(op).toString());

            JsonNode back = fx.await(fx.start("/api/rollback", "{\"operation_id\":\"" + op + "\"}"));
            assertEquals("complete", back.path("status").asText(), back.toString());
            assertAttached(app, vpn, "demo 1.0.0");
        } finally {
            down(flavour, project, file);
        }
    }

    /**
     * Standalone: app in vpn's namespace, and lk with {@code --link vpn:vpnalias --volumes-from vpn}.
     * The engine keeps volumes_from by name, but its link follows vpn's rename to the kept old
     * container, and once that is removed lk can neither exec nor restart.
     */
    @Test
    void standaloneContainersInTheUpdatedContainersNetworkOrLinkedToItAreRecreatedOntoTheNewOne() {
        String vpn = RealEngine.unique("nsvpn");
        String app = RealEngine.unique("nsapp");
        String lk = RealEngine.unique("nslk");
        try {
            RealEngine.docker("run", "-d", "--name", vpn, "--label", RealEngine.TEST_LABEL, "-v", "/data", DEMO + ":1.0.0");
            RealEngine.docker("run", "-d", "--name", app, "--label", RealEngine.TEST_LABEL, "--network", "container:" + vpn,
                    DEMO + ":1.0.0", "/bin/sh", "-c", APP_SCRIPT.formatted("demo ").replace("$$", "$"));
            RealEngine.docker("run", "-d", "--name", lk, "--label", RealEngine.TEST_LABEL, "--link", vpn + ":vpnalias",
                    "--volumes-from", vpn, DEMO + ":1.0.0", "/bin/sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait");
            assertAttached(app, vpn, "demo 1.0.0");
            RealEngine.docker("exec", vpn, "sh", "-c", "echo kept > /data/marker");
            String op = fx.start("/api/update", "{\"container\":\"" + vpn + "\",\"version\":\"1.1.0\"}");
            JsonNode done = fx.await(op);
            assertEquals("complete", done.path("status").asText(), done.toString());
            assertAttached(app, vpn, "demo 1.1.0");
            assertEquals("", RealEngine.docker("ps", "-aq", "--filter", "name=" + app + "-docksmith-old"),
                    "the dependent's old container, cut off for good, is not kept");

            assertEquals("[\"/" + vpn + ":/" + lk + "/vpnalias\"]", RealEngine.docker("inspect", "--format",
                    "{{json .HostConfig.Links}}", lk), "the link names vpn, not the removed old container");
            assertEquals("[\"" + vpn + "\"]", RealEngine.docker("inspect", "--format", "{{json .HostConfig.VolumesFrom}}", lk));
            String vpnIp = RealEngine.docker("inspect", "--format", "{{.NetworkSettings.IPAddress}}", vpn);
            assertTrue(RealEngine.docker("exec", lk, "cat", "/etc/hosts").lines()
                    .anyMatch(l -> l.startsWith(vpnIp + "\t") && l.contains("vpnalias")), "vpnalias is the new vpn");
            assertEquals("kept", RealEngine.docker("exec", lk, "cat", "/data/marker"));
            RealEngine.docker("restart", "-t", "1", lk);
            assertEquals("running", stateOf(lk));
        } finally {
            List<String> volumes = volumesOf(vpn);
            RealEngine.dockerQuietly("rm", "-f", lk);
            RealEngine.dockerQuietly("rm", "-f", app);
            RealEngine.dockerQuietly("rm", "-fv", vpn);
            volumes.forEach(v -> RealEngine.dockerQuietly("volume", "rm", v));
        }
    }

    /** vpn's new version exits at once: vpn is rolled back, and app must end up on the restored vpn. */
    @Test
    void aFailedUpdateRollsBackWithTheDependentOnTheRestoredContainer(@TempDir Path dir) throws Exception {
        String repo = "localhost:5000/docksmith-it/" + RealEngine.unique("nsbroken");
        RealEngine.docker("tag", DEMO + ":1.0.0", repo + ":1.0.0");
        RealEngine.docker("push", repo + ":1.0.0");
        RealEngine.docker("tag", "localhost:5000/docksmith/demo-broken:2.0.0", repo + ":2.0.0");
        RealEngine.docker("push", repo + ":2.0.0");
        String project = RealEngine.unique("nsbrk");
        Path file = dir.resolve("compose.yaml");
        Files.writeString(file, composeFile(repo + ":1.0.0", "demo "));
        composeUp("v2", project, file);
        String vpn = containerName("v2", project, "vpn");
        String app = containerName("v2", project, "app");
        try {
            assertAttached(app, vpn, "demo 1.0.0");
            JsonNode done = fx.await(fx.start("/api/update", "{\"container\":\"" + vpn + "\",\"version\":\"2.0.0\"}"));
            assertEquals("rolled_back", done.path("status").asText(), done.toString());
            assertEquals(repo + ":1.0.0", imageOf(vpn));
            assertAttached(app, vpn, "demo 1.0.0");
        } finally {
            down("v2", project, file);
            RealEngine.dockerQuietly("rmi", repo + ":1.0.0", repo + ":2.0.0");
        }
    }

    /**
     * vpn's update itself is fine, but app refuses the new vpn (it expects 1.0.0's page): the whole
     * update rolls back, and app is brought back onto the restored vpn.
     */
    @Test
    void aDependentThatFailsOnTheNewContainerRollsTheWholeUpdateBack(@TempDir Path dir) throws Exception {
        String project = RealEngine.unique("nsdep");
        Path file = dir.resolve("compose.yaml");
        Files.writeString(file, composeFile(DEMO + ":1.0.0", "demo 1.0.0"));
        composeUp("v2", project, file);
        String vpn = containerName("v2", project, "vpn");
        String app = containerName("v2", project, "app");
        try {
            assertAttached(app, vpn, "demo 1.0.0");
            JsonNode done = fx.await(fx.start("/api/update", "{\"container\":\"" + vpn + "\",\"version\":\"1.1.0\"}"));
            assertEquals("rolled_back", done.path("status").asText(), done.toString());
            assertTrue(done.path("error").asText().contains(app), done.toString());
            assertEquals(DEMO + ":1.0.0", imageOf(vpn));
            assertAttached(app, vpn, "demo 1.0.0");
        } finally {
            down("v2", project, file);
        }
    }

    /** A restart gives vpn a new namespace under the same id: app is restarted after it. */
    @Test
    void restartingTheContainerRestartsTheOnesInItsNetwork() {
        String vpn = RealEngine.unique("nsrvpn");
        String app = RealEngine.unique("nsrapp");
        try {
            RealEngine.docker("run", "-d", "--name", vpn, "--label", RealEngine.TEST_LABEL, DEMO + ":1.0.0");
            RealEngine.docker("run", "-d", "--name", app, "--label", RealEngine.TEST_LABEL, "--network", "container:" + vpn,
                    DEMO + ":1.0.0", "/bin/sh", "-c", APP_SCRIPT.formatted("demo ").replace("$$", "$"));
            assertAttached(app, vpn, "demo 1.0.0");
            ApiClient.Response r = fx.api.post("/api/restart/container/" + vpn);
            assertEquals(200, r.status(), r.text());
            assertTrue(r.data().path("dependents_restarted").toString().contains(app), r.text());
            assertAttached(app, vpn, "demo 1.0.0");
        } finally {
            RealEngine.dockerQuietly("rm", "-f", app);
            RealEngine.dockerQuietly("rm", "-f", vpn);
        }
    }

    /**
     * app runs, points at vpn's current id, and reaches vpn's httpd on its own loopback. Asked again for
     * a few seconds: right after a compose up or a restart, vpn's httpd may not listen yet.
     */
    static void assertAttached(String app, String vpn, String page) {
        for (int i = 0; i < 40; i++) {
            RealEngine.Result r = RealEngine.run(List.of("docker", "exec", app, "wget", "-qO-", "http://127.0.0.1:8080/"));
            if (r.exit() == 0 && r.output().strip().equals(page)) {
                break;
            }
            UpdateFixture.sleep(250);
        }
        String vpnId = RealEngine.docker("inspect", "--format", "{{.Id}}", vpn);
        assertEquals("container:" + vpnId, RealEngine.docker("inspect", "--format", "{{.HostConfig.NetworkMode}}", app));
        assertEquals("running", stateOf(app));
        assertTrue(RealEngine.docker("exec", app, "ls", "/sys/class/net").lines().anyMatch(l -> l.equals("eth0")),
                app + " has a network besides lo");
        assertEquals(page, RealEngine.docker("exec", app, "wget", "-qO-", "http://127.0.0.1:8080/"));
    }

    /**
     * Down, and vpn's anonymous volume, which this test made: {@code down -v} leaves it once vpn was
     * recreated onto it by name.
     */
    static void down(String flavour, String project, Path file) {
        List<String> volumes = volumesOf(containerName(flavour, project, "vpn"));
        RealEngine.run(compose(flavour, project, file, "down", "-t", "1", "-v"));
        volumes.forEach(v -> RealEngine.dockerQuietly("volume", "rm", v));
    }

    /** The volumes a container mounts, or none when it is gone. */
    static List<String> volumesOf(String container) {
        RealEngine.Result r = RealEngine.run(List.of("docker", "inspect", "--format",
                "{{range .Mounts}}{{if eq .Type \"volume\"}}{{.Name}} {{end}}{{end}}", container));
        return r.exit() != 0 ? List.of() : List.of(r.output().strip().split("\\s+")).stream().filter(v -> !v.isEmpty()).toList();
    }
}
