package dev.docksmith.runtime.plugin;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/**
 * One jar of the plugins directory, in a class loader of its own, so that two plugin jars never see
 * each other's classes. The parent is the runtime's loader: the SPI types a plugin implements must be
 * the very ones the runtime calls through.
 *
 * @param path    the jar file
 * @param version its manifest's {@code Implementation-Version}, or "unknown"
 * @param loader  the loader its classes come from
 */
record PluginJar(Path path, String version, URLClassLoader loader) implements AutoCloseable {

    /** The {@code *.jar} files directly in {@code dir}, by name, so the load order does not depend on the file system. */
    static List<Path> in(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".jar") && Files.isRegularFile(p))
                    .sorted(Comparator.comparing(p -> p.getFileName().toString()))
                    .toList();
        }
    }

    /** Opens a jar; a file that is not a readable zip fails here, before a class loader would silently ignore it. */
    static PluginJar open(Path jar, ClassLoader parent) throws IOException {
        String version;
        try (JarFile file = new JarFile(jar.toFile())) {
            Manifest manifest = file.getManifest();
            String v = manifest == null ? null : manifest.getMainAttributes().getValue(Attributes.Name.IMPLEMENTATION_VERSION);
            version = v == null || v.isBlank() ? "unknown" : v.trim();
        }
        URL url = jar.toUri().toURL();
        return new PluginJar(jar, version, new OwnServicesLoader("plugin " + jar.getFileName(), url, parent));
    }

    @Override
    public void close() throws IOException {
        loader.close();
    }

    /**
     * Answers {@code META-INF/services} lookups from this jar alone. ServiceLoader asks the loader for
     * every services file it can see, parents included, so without this each jar would find the
     * built-in providers again. Classes are still looked up parent first.
     */
    private static final class OwnServicesLoader extends URLClassLoader {
        static {
            registerAsParallelCapable();
        }

        OwnServicesLoader(String name, URL jar, ClassLoader parent) {
            super(name, new URL[]{jar}, parent);
        }

        @Override
        public Enumeration<URL> getResources(String name) throws IOException {
            return name.startsWith("META-INF/services/") ? findResources(name) : super.getResources(name);
        }
    }
}
