package dev.docksmith.runtime.plugin;

import dev.docksmith.spi.RegistryPlugin;
import dev.docksmith.spi.StorePlugin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.docksmith.runtime.plugin.TestJars.jar;
import static dev.docksmith.runtime.plugin.TestJars.registryPlugin;
import static dev.docksmith.runtime.plugin.TestJars.storePlugin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Plugin jars dropped in the plugins directory, built here from source as a third party would build them. */
class PluginDirectoryTest {
    private static final String STORE = StorePlugin.class.getName();
    private static final String REGISTRY = RegistryPlugin.class.getName();

    @TempDir
    Path work;

    @Test
    void aGoodJarIsDiscoveredBesideTheBuiltInsWithItsPathAndVersion() throws Exception {
        Path plugins = Files.createDirectory(work.resolve("plugins"));
        Path good = jar(plugins, "good.jar",
                Map.of("com.example.JarStore", storePlugin("com.example.JarStore", "jar-store", ""),
                        "com.example.JarRegistry", registryPlugin("com.example.JarRegistry", "jar-registry")),
                Map.of(STORE, "com.example.JarStore", REGISTRY, "com.example.JarRegistry"), "1.2.3");

        try (URLClassLoader builtIns = builtInStore(); PluginLoader loader = new PluginLoader(builtIns)) {
            loader.addDirectory(plugins);
            List<StorePlugin> stores = loader.load(StorePlugin.class);
            List<RegistryPlugin> registries = loader.load(RegistryPlugin.class);

            // The jar's loader must not list the built-in provider a second time through its parent.
            assertEquals(List.of("good-store", "jar-store"), stores.stream().map(StorePlugin::name).toList());
            // The test class path holds built-in registry plugins too: each once, then the jar's.
            List<String> registryNames = registries.stream().map(RegistryPlugin::name).toList();
            assertEquals("jar-registry", registryNames.get(registryNames.size() - 1), registryNames.toString());
            assertEquals(registryNames.size(), registryNames.stream().distinct().count(), registryNames.toString());
            StorePlugin fromJar = stores.get(1);
            assertNotSame(builtIns, fromJar.getClass().getClassLoader());
            assertSame(builtIns, fromJar.getClass().getClassLoader().getParent());

            PluginInfo info = loader.loaded().stream().filter(p -> p.name().equals("jar-store")).findFirst().orElseThrow();
            assertEquals(new PluginInfo("jar-store", "StorePlugin", "com.example.JarStore", good.toString(), "1.2.3", 1), info);
            PluginInfo builtIn = loader.loaded().stream().filter(p -> p.name().equals("good-store")).findFirst().orElseThrow();
            assertTrue(!builtIn.source().equals(good.toString()), builtIn.toString());
            assertTrue(loader.failed().isEmpty(), loader.failed().toString());
        }
    }

    @Test
    void eachJarHasItsOwnClassLoaderAndJarsLoadInNameOrder(@TempDir Path plugins) throws Exception {
        // The same class name in both jars: only separate loaders let both exist side by side.
        jar(plugins, "b.jar", Map.of("com.example.Same", storePlugin("com.example.Same", "from-b", "")), Map.of(STORE, "com.example.Same"), null);
        jar(plugins, "a.jar", Map.of("com.example.Same", storePlugin("com.example.Same", "from-a", "")), Map.of(STORE, "com.example.Same"), null);

        try (PluginLoader loader = new PluginLoader(getClass().getClassLoader())) {
            loader.addDirectory(plugins);
            List<StorePlugin> stores = loader.load(StorePlugin.class);

            assertEquals(List.of("from-a", "from-b"), stores.stream().map(StorePlugin::name).toList());
            assertNotSame(stores.get(0).getClass(), stores.get(1).getClass());
            assertNotSame(stores.get(0).getClass().getClassLoader(), stores.get(1).getClass().getClassLoader());
            assertEquals(List.of(plugins.resolve("a.jar").toString(), plugins.resolve("b.jar").toString()),
                    loader.loaded().stream().map(PluginInfo::source).toList());
            assertEquals(List.of("unknown", "unknown"), loader.loaded().stream().map(PluginInfo::version).toList(),
                    "no manifest, no version");
        }
    }

    @Test
    void brokenJarsAreRecordedWithTheJarAndWhyAndTheRestStillLoads(@TempDir Path plugins) throws Exception {
        Path notZip = Files.writeString(plugins.resolve("a-not-a-zip.jar"), "this is a text file");
        Path missing = jar(plugins, "b-missing-class.jar", Map.of(), Map.of(STORE, "com.example.NotThere"), "1.0");
        Path throwing = jar(plugins, "c-throwing.jar", Map.of("com.example.Throwing", storePlugin("com.example.Throwing", "throwing",
                "public Throwing() { throw new IllegalStateException(\"no licence key\"); }")), Map.of(STORE, "com.example.Throwing"), "1.0");
        Path future = jar(plugins, "d-future.jar", Map.of("com.example.Future", storePlugin("com.example.Future", "future",
                "public int apiVersion() { return 99; }")), Map.of(STORE, "com.example.Future"), "1.0");
        jar(plugins, "e-good.jar", Map.of("com.example.Fine", storePlugin("com.example.Fine", "fine", "")), Map.of(STORE, "com.example.Fine"), "1.0");

        try (PluginLoader loader = new PluginLoader(getClass().getClassLoader())) {
            loader.addDirectory(plugins);
            List<StorePlugin> stores = loader.load(StorePlugin.class);

            assertEquals(List.of("fine"), stores.stream().map(StorePlugin::name).toList());
            List<PluginFailure> failed = loader.failed();
            assertEquals(4, failed.size(), failed.toString());
            assertEquals(List.of(notZip.toString(), missing.toString(), throwing.toString(), future.toString()),
                    failed.stream().map(PluginFailure::source).toList());

            assertEquals(PluginFailure.WHOLE_JAR, failed.get(0).spi());
            assertTrue(failed.get(0).reason().startsWith("not a readable jar"), failed.get(0).toString());
            assertEquals("com.example.NotThere", failed.get(1).provider());
            assertTrue(failed.get(1).reason().contains("not found"), failed.get(1).toString());
            assertTrue(failed.get(2).reason().contains("no licence key"), failed.get(2).toString());
            assertTrue(failed.get(3).reason().contains("built for SPI version 99"), failed.get(3).toString());
            failed.subList(1, 4).forEach(f -> assertEquals("StorePlugin", f.spi()));
        }
    }

    @Test
    void onlyJarFilesDirectlyInTheDirectoryCount(@TempDir Path plugins) throws Exception {
        // A valid plugin jar under another name, one in a subdirectory, and a directory named like a jar.
        Map<String, String> source = Map.of("com.example.Hidden", storePlugin("com.example.Hidden", "hidden", ""));
        Map<String, String> services = Map.of(STORE, "com.example.Hidden");
        jar(plugins, "plugin.jar.disabled", source, services, null);
        jar(plugins, "notes.txt", source, services, null);
        jar(Files.createDirectory(plugins.resolve("nested")), "inner.jar", source, services, null);
        Files.createDirectory(plugins.resolve("folder.jar"));

        try (PluginLoader loader = new PluginLoader(getClass().getClassLoader())) {
            loader.addDirectory(plugins);
            assertTrue(loader.load(StorePlugin.class).isEmpty());
            assertTrue(loader.loaded().isEmpty(), loader.loaded().toString());
            assertTrue(loader.failed().isEmpty(), loader.failed().toString());
        }
    }

    @Test
    void aMissingDirectoryIsNoFailure() {
        try (PluginLoader loader = new PluginLoader(getClass().getClassLoader())) {
            loader.addDirectory(work.resolve("does-not-exist"));
            assertTrue(loader.load(StorePlugin.class).isEmpty());
            assertTrue(loader.failed().isEmpty(), loader.failed().toString());
        }
    }

    @Test
    void closingTheLoaderClosesTheJarsClassLoaders(@TempDir Path plugins) throws Exception {
        jar(plugins, "good.jar", Map.of("com.example.Fine", storePlugin("com.example.Fine", "fine", "")), Map.of(STORE, "com.example.Fine"), null);
        PluginLoader loader = new PluginLoader(getClass().getClassLoader());
        loader.addDirectory(plugins);
        ClassLoader jarLoader = loader.load(StorePlugin.class).get(0).getClass().getClassLoader();
        String services = "META-INF/services/" + STORE;
        assertNotNull(jarLoader.getResource(services));

        loader.close();

        assertNull(jarLoader.getResource(services), "a closed URLClassLoader finds nothing more in its jar");
    }

    /** A class loader standing for the runtime's, declaring one built-in provider. */
    private URLClassLoader builtInStore() throws Exception {
        Path dir = Files.createDirectories(work.resolve("builtin/META-INF/services"));
        Files.writeString(dir.resolve(STORE), PluginLoaderTest.GoodStorePlugin.class.getName() + "\n");
        return new URLClassLoader(new URL[]{work.resolve("builtin").toUri().toURL()}, getClass().getClassLoader());
    }
}
