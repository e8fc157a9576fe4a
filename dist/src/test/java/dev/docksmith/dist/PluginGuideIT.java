package dev.docksmith.dist;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static dev.docksmith.dist.EndToEnd.JAR;
import static dev.docksmith.dist.EndToEnd.awaitHealthy;
import static dev.docksmith.dist.EndToEnd.freePort;
import static dev.docksmith.dist.EndToEnd.get;
import static dev.docksmith.dist.EndToEnd.java;
import static dev.docksmith.dist.EndToEnd.requireEngine;
import static dev.docksmith.dist.EndToEnd.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * docs/plugins.md promises a complete plugin in under 60 lines that a reader can build and drop into
 * the plugins directory. This test is that reader: it takes the guide's Java and services file as
 * they are printed, compiles them against docksmith-api, jars them, starts the real fat jar with the
 * jar in its plugins directory, and checks what the guide says happens (listed as loaded, listed by
 * /api/scripts, a labelled container blocked outside the window, a bad setting listed as failed).
 */
class PluginGuideIT {
    static final Path GUIDE = Path.of("../docs/plugins.md");
    static final String SERVICES = "META-INF/services/dev.docksmith.spi.PreUpdateCheck";

    final List<Process> processes = new ArrayList<>();
    String container;

    @AfterEach
    void cleanUp() {
        processes.forEach(Process::destroyForcibly);
        if (container != null) {
            run("docker", "rm", "-f", container);
        }
    }

    @Test
    void theGuidesPluginBuildsLoadsAndBlocksOutsideItsWindow(@TempDir Path dir) throws Exception {
        requireEngine();
        String guide = Files.readString(GUIDE);
        String source = block(guide, "java");
        long lines = source.lines().count();
        assertTrue(lines < 60, "the guide promises a plugin in under 60 lines; it has " + lines);
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        buildPluginJar(source, serviceLine(guide), dir.resolve("build"), plugins.resolve("maintenance-window-1.0.0.jar"));

        // A window that started an hour ago ended a minute ago whatever the time of day: now is outside it.
        LocalTime now = LocalTime.now(ZoneOffset.UTC);
        DateTimeFormatter hhmm = DateTimeFormatter.ofPattern("HH:mm");
        String window = now.minusHours(1).format(hhmm) + "-" + now.minusMinutes(1).format(hhmm);
        int port = freePort();
        Process docksmith = start(dir, plugins, window, port, "docksmith.log");
        awaitHealthy(port, docksmith, dir.resolve("docksmith.log"));

        JsonNode loaded = get(port, "/api/docker-config").path("data").path("plugins").path("loaded");
        JsonNode plugin = find(loaded, "maintenance-window");
        assertEquals("PreUpdateCheck", plugin.path("spi").asText(), plugin.toString());
        assertEquals("1.0.0", plugin.path("version").asText(), plugin.toString());
        assertTrue(plugin.path("jar").asText().endsWith("maintenance-window-1.0.0.jar"), plugin.toString());
        assertTrue(get(port, "/api/scripts").path("data").path("scripts").toString().contains("\"maintenance-window\""));

        container = "guide-" + Long.toString(System.nanoTime(), 36);
        assertEquals(0, run("docker", "run", "-d", "--name", container, "--network", "none",
                "--label", "docksmith.pre-update-check=maintenance-window",
                "localhost:5000/docksmith/demo:1.0.0").exit());
        JsonNode checked = get(port, "/api/container/" + container + "/recheck").path("data");
        assertEquals("UPDATE_AVAILABLE_BLOCKED", checked.path("status").asText(), checked.toString());
        assertTrue(checked.path("blocked_reason").asText().startsWith("outside the maintenance window"), checked.toString());

        // The guide: a start that throws leaves the plugin out, listed under plugins.failed with its message.
        int second = freePort();
        Process refused = start(dir, plugins, "soon", second, "refused.log");
        awaitHealthy(second, refused, dir.resolve("refused.log"));
        String failed = get(second, "/api/docker-config").path("data").path("plugins").path("failed").toString();
        assertTrue(failed.contains("MAINTENANCE_WINDOW: 'soon' is not a window"), failed);
    }

    /** The body of the first fenced block of the given language. */
    static String block(String markdown, String language) {
        Matcher m = Pattern.compile("```" + language + "\\n(.*?)```", Pattern.DOTALL).matcher(markdown);
        if (!m.find()) {
            fail("no ```" + language + " block in " + GUIDE);
        }
        return m.group(1);
    }

    /** The class the guide's services file names: the text block right after the services file's path. */
    static String serviceLine(String markdown) {
        int at = markdown.indexOf("`src/main/resources/" + SERVICES + "`");
        assertTrue(at >= 0, "the guide names the services file");
        return block(markdown.substring(at), "text").trim();
    }

    /** What {@code mvn package} with the guide's pom makes: the classes, the services file, an Implementation-Version. */
    static void buildPluginJar(String source, String provider, Path build, Path jar) throws IOException {
        String className = provider.substring(provider.lastIndexOf('.') + 1);
        Path file = build.resolve("src").resolve(provider.replace('.', '/') + ".java");
        assertTrue(source.contains("class " + className + " "), "the services file names the guide's class: " + provider);
        Files.createDirectories(file.getParent());
        Files.writeString(file, source);
        Path classes = Files.createDirectories(build.resolve("classes"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        int exit = javac.run(null, null, errors, "--release", "17", "-cp", System.getProperty("java.class.path"),
                "-d", classes.toString(), file.toString());
        assertEquals(0, exit, "the guide's plugin compiles against docksmith-api:\n" + errors.toString(StandardCharsets.UTF_8));

        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.IMPLEMENTATION_VERSION, "1.0.0");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out, manifest);
             Stream<Path> compiled = Files.walk(classes)) {
            for (Path c : compiled.filter(Files::isRegularFile).toList()) {
                j.putNextEntry(new JarEntry(classes.relativize(c).toString().replace('\\', '/')));
                j.write(Files.readAllBytes(c));
                j.closeEntry();
            }
            j.putNextEntry(new JarEntry(SERVICES));
            j.write((provider + "\n").getBytes(StandardCharsets.UTF_8));
            j.closeEntry();
        }
    }

    static JsonNode find(JsonNode plugins, String name) {
        for (JsonNode p : plugins) {
            if (name.equals(p.path("name").asText())) {
                return p;
            }
        }
        return fail("no plugin " + name + " among " + plugins);
    }

    Process start(Path dir, Path plugins, String window, int port, String logName) throws IOException {
        List<String> command = java("-jar", JAR.toString(), "--port", String.valueOf(port),
                "--data", dir.resolve("data-" + port).toString(), "--plugins-dir", plugins.toString(),
                "--check-interval", "0");
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve(logName).toFile());
        pb.environment().put("MAINTENANCE_WINDOW", window);
        Process p = pb.start();
        processes.add(p);
        return p;
    }
}
