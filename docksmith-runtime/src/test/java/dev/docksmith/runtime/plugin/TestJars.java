package dev.docksmith.runtime.plugin;

import dev.docksmith.spi.Plugin;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/** Builds small plugin jars for tests: sources compiled against docksmith-api, services files, an optional version. */
final class TestJars {
    private TestJars() {
    }

    /**
     * Writes {@code dir/fileName}.
     *
     * @param sources  class name to Java source
     * @param services SPI interface name to the provider lines of its services file
     * @param version  the manifest's Implementation-Version, or null for no manifest
     */
    static Path jar(Path dir, String fileName, Map<String, String> sources, Map<String, String> services, String version)
            throws IOException {
        Path classes = compile(Files.createTempDirectory(dir, "classes"), sources);
        Path jar = dir.resolve(fileName);
        try (OutputStream out = Files.newOutputStream(jar);
             JarOutputStream j = version == null ? new JarOutputStream(out) : new JarOutputStream(out, manifest(version))) {
            try (Stream<Path> files = Files.walk(classes)) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    j.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                    j.write(Files.readAllBytes(f));
                    j.closeEntry();
                }
            }
            for (var service : services.entrySet()) {
                j.putNextEntry(new JarEntry("META-INF/services/" + service.getKey()));
                j.write((service.getValue() + "\n").getBytes(StandardCharsets.UTF_8));
                j.closeEntry();
            }
        }
        return jar;
    }

    private static Manifest manifest(String version) {
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        m.getMainAttributes().put(Attributes.Name.IMPLEMENTATION_VERSION, version);
        return m;
    }

    private static Path compile(Path out, Map<String, String> sources) throws IOException {
        if (sources.isEmpty()) {
            return out;
        }
        Path src = Files.createTempDirectory(out.getParent(), "src");
        List<String> args = new ArrayList<>(List.of("-d", out.toString(), "-classpath", apiLocation()));
        for (var source : sources.entrySet()) {
            Path file = src.resolve(source.getKey().replace('.', '/') + ".java");
            Files.createDirectories(file.getParent());
            Files.writeString(file, source.getValue());
            args.add(file.toString());
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        if (javac.run(null, null, errors, args.toArray(String[]::new)) != 0) {
            throw new IllegalStateException("test plugin does not compile:\n" + errors.toString(StandardCharsets.UTF_8));
        }
        return out;
    }

    /** Where docksmith-api's classes are (a directory or a jar), whatever the test class path looks like. */
    private static String apiLocation() {
        try {
            return Path.of(Plugin.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The source of a StorePlugin named {@code name}; {@code body} goes into the class (a constructor, an apiVersion()). */
    static String storePlugin(String className, String name, String body) {
        int dot = className.lastIndexOf('.');
        return "package " + className.substring(0, dot) + ";\n"
                + "public class " + className.substring(dot + 1) + " implements dev.docksmith.spi.StorePlugin {\n"
                + "  public String name() { return \"" + name + "\"; }\n"
                + "  public dev.docksmith.spi.Store open(java.nio.file.Path dir) { throw new UnsupportedOperationException(); }\n"
                + body + "\n}\n";
    }

    /** The source of a RegistryPlugin named {@code name} that serves nothing. */
    static String registryPlugin(String className, String name) {
        int dot = className.lastIndexOf('.');
        return "package " + className.substring(0, dot) + ";\n"
                + "public class " + className.substring(dot + 1) + " implements dev.docksmith.spi.RegistryPlugin {\n"
                + "  public String name() { return \"" + name + "\"; }\n"
                + "  public boolean serves(dev.docksmith.api.ImageRef image) { return false; }\n"
                + "  public dev.docksmith.spi.RegistryClient client(dev.docksmith.api.ImageRef image) { throw new UnsupportedOperationException(); }\n"
                + "}\n";
    }
}
