package dev.docksmith.runtime.plugin;

import dev.docksmith.spi.Store;
import dev.docksmith.spi.StorePlugin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PluginLoaderTest {

    /** A healthy provider. */
    public static final class GoodStorePlugin implements StorePlugin {
        @Override
        public String name() {
            return "good-store";
        }

        @Override
        public Store open(Path dataDirectory) {
            throw new UnsupportedOperationException("not needed here");
        }
    }

    /** A provider whose constructor fails, like a plugin missing a dependency at run time. */
    public static final class ThrowingStorePlugin implements StorePlugin {
        public ThrowingStorePlugin() {
            throw new IllegalStateException("cannot initialise: missing native library");
        }

        @Override
        public String name() {
            return "throwing-store";
        }

        @Override
        public Store open(Path dataDirectory) {
            return null;
        }
    }

    /** A provider built against a future SPI generation. */
    public static final class FutureStorePlugin implements StorePlugin {
        @Override
        public String name() {
            return "future-store";
        }

        @Override
        public int apiVersion() {
            return 99;
        }

        @Override
        public Store open(Path dataDirectory) {
            return null;
        }
    }

    @Test
    void badProvidersAreRecordedAndSkippedAndGoodOnesStillLoad(@TempDir Path dir) throws Exception {
        Path services = dir.resolve("META-INF/services");
        Files.createDirectories(services);
        Files.writeString(services.resolve(StorePlugin.class.getName()), String.join("\n",
                "com.example.DoesNotExist",
                ThrowingStorePlugin.class.getName(),
                FutureStorePlugin.class.getName(),
                GoodStorePlugin.class.getName()) + "\n");
        try (URLClassLoader cl = new URLClassLoader(new URL[]{dir.toUri().toURL()}, getClass().getClassLoader())) {
            PluginLoader loader = new PluginLoader(cl);
            List<StorePlugin> stores = loader.load(StorePlugin.class);

            assertEquals(List.of("good-store"), stores.stream().map(StorePlugin::name).toList());
            assertEquals(List.of("good-store"), loader.loaded().stream().map(PluginInfo::name).toList());
            List<PluginFailure> failed = loader.failed();
            assertEquals(3, failed.size(), failed.toString());
            assertTrue(failed.get(0).provider().contains("DoesNotExist"), failed.toString());
            assertTrue(failed.get(1).reason().contains("missing native library"), failed.toString());
            assertTrue(failed.get(2).reason().contains("built for SPI version 99"), failed.toString());
            failed.forEach(f -> assertEquals("StorePlugin", f.spi()));
        }
    }

    @Test
    void anApiVersionBelowOneIsRefusedLikeATooNewOne() {
        PluginLoader loader = new PluginLoader(getClass().getClassLoader());
        List<StorePlugin> into = new java.util.ArrayList<>();
        for (int version : new int[]{0, -1}) {
            boolean accepted = loader.accept(StorePlugin.class, new StorePlugin() {
                @Override
                public String name() {
                    return "version-" + version;
                }

                @Override
                public int apiVersion() {
                    return version;
                }

                @Override
                public Store open(Path dataDirectory) {
                    return null;
                }
            }, into);
            assertFalse(accepted, "apiVersion " + version);
        }
        assertTrue(into.isEmpty());
        assertTrue(loader.loaded().isEmpty());
        assertEquals("apiVersion() answered 0; an SPI version is 1 or more (this runtime offers 1)", loader.failed().get(0).reason());
        assertEquals(2, loader.failed().size());
    }

    @Test
    void aPluginFailingLaterIsMovedFromLoadedToFailed() {
        PluginLoader loader = new PluginLoader(getClass().getClassLoader());
        loader.accept(StorePlugin.class, new GoodStorePlugin(), new java.util.ArrayList<>());
        loader.fail(StorePlugin.class, "good-store", "start() threw: disk full");
        assertTrue(loader.loaded().isEmpty());
        assertEquals("start() threw: disk full", loader.failed().get(0).reason());
    }
}
