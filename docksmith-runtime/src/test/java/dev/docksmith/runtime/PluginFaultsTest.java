package dev.docksmith.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import dev.docksmith.api.ImageRef;
import dev.docksmith.runtime.store.InMemoryStore;
import dev.docksmith.spi.PluginContext;
import dev.docksmith.spi.Store;
import dev.docksmith.spi.StorePlugin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static dev.docksmith.runtime.TestPlugins.get;
import static dev.docksmith.runtime.TestPlugins.where;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One broken plugin never takes the runtime down: plugins that throw from {@code start()},
 * {@code priority()} or {@code serves()} are left out (or skipped), listed under plugins.failed
 * with the reason, and the others go on working. Through the real builder, without an engine.
 */
class PluginFaultsTest {

    /** A plugin jar that forgot to shade a library: its own code cannot find a class. */
    static final class MissingDependency extends TestPlugins.FixedTags {
        MissingDependency() {
            super("missing-dependency", "9.9.9");
        }

        @Override
        public int priority() {
            return 100; // would win every image, had it started
        }

        @Override
        public void start(PluginContext context) {
            throw new NoClassDefFoundError("com/example/shaded/HttpLib");
        }
    }

    static final class BrokenServes extends TestPlugins.FixedTags {
        BrokenServes() {
            super("broken-serves", "8.8.8");
        }

        @Override
        public int priority() {
            return 50; // asked first about every image
        }

        @Override
        public boolean serves(ImageRef image) {
            throw new IllegalStateException("bug in serves");
        }
    }

    static final class BrokenPriority extends TestPlugins.FixedTags {
        BrokenPriority() {
            super("broken-priority", "7.7.7");
        }

        @Override
        public int priority() {
            throw new ExceptionInInitializerError("static init of the plugin's config failed");
        }
    }

    static final class BrokenPriorityStrategy extends TestPlugins.IdleStrategy {
        BrokenPriorityStrategy() {
            super("broken-priority-strategy");
        }

        @Override
        public int priority() {
            throw new IllegalStateException("bug in strategy priority");
        }
    }

    /** A store plugin keeping everything in memory, under its own name. */
    static class MemoryStorePlugin implements StorePlugin {
        private final String name;

        MemoryStorePlugin(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public Store open(Path dataDirectory) {
            return new InMemoryStore();
        }
    }

    @Test
    void pluginsThatThrowAreLeftOutAndTheOthersStillWork(@TempDir Path dir) throws Exception {
        Docksmith docksmith = Docksmith.builder().config(TestPlugins.noEngine(dir)).discoverPlugins(false)
                .plugin(new MissingDependency())
                .plugin(new BrokenServes())
                .plugin(new BrokenPriority())
                .plugin(new TestPlugins.FixedTags("working", "1.0.0", "2.0.0"))
                .plugin(new BrokenPriorityStrategy())
                .plugin(new TestPlugins.IdleStrategy("working-strategy"))
                .plugin(new MemoryStorePlugin("broken-priority-store") {
                    @Override
                    public int priority() {
                        throw new IllegalStateException("bug in store priority");
                    }
                })
                .plugin(new MemoryStorePlugin("working-store"))
                .build();
        try {
            docksmith.start();

            JsonNode config = get(docksmith, "/api/docker-config");
            JsonNode failed = config.path("plugins").path("failed");
            assertReason(failed, "RegistryPlugin", "missing-dependency", "start() threw java.lang.NoClassDefFoundError: com/example/shaded/HttpLib");
            assertReason(failed, "RegistryPlugin", "broken-priority", "priority() threw java.lang.ExceptionInInitializerError");
            assertReason(failed, "UpdateStrategy", "broken-priority-strategy", "priority() threw java.lang.IllegalStateException: bug in strategy priority");
            assertReason(failed, "StorePlugin", "broken-priority-store", "priority() threw java.lang.IllegalStateException: bug in store priority");
            assertEquals(4, failed.size(), failed.toString());
            List<String> loaded = where(config.path("plugins").path("loaded"), p -> true).stream().map(p -> p.path("name").asText()).toList();
            assertEquals(List.of("working-store", "broken-serves", "working", "working-strategy"), loaded);
            assertEquals("working-store", config.path("store").path("plugin").asText(), "the store plugin that answered is used");

            // broken-serves is asked first about every image; its exception must not cost the image its answer.
            JsonNode tags = get(docksmith, "/api/registry/tags/registry.test/team/app");
            assertEquals("[\"2.0.0\",\"1.0.0\"]", tags.path("tags").toString());
        } finally {
            docksmith.close();
        }
    }

    /** Not a plugin's fault (the JVM's): the start fails, but closes what it had opened, threads included. */
    @Test
    void aStartStoppedByAnErrorLeavesNoThreads(@TempDir Path dir) throws Exception {
        LeftoverThreads threads = LeftoverThreads.snapshot();
        Docksmith docksmith = Docksmith.builder().config(TestPlugins.noEngine(dir)).discoverPlugins(false)
                .eventListener(event -> { }) // a listener has a thread from the start
                .plugin(new TestPlugins.FixedTags("out-of-memory") {
                    @Override
                    public void start(PluginContext context) {
                        throw new OutOfMemoryError("simulated");
                    }
                })
                .build();

        assertThrows(OutOfMemoryError.class, docksmith::start);
        threads.assertNoneLeft();
        assertThrows(IllegalStateException.class, docksmith::start, "a failed start is final, as a stop is");
    }

    private static void assertReason(JsonNode failed, String spi, String provider, String reasonStart) {
        List<JsonNode> found = where(failed, f -> f.path("provider").asText().equals(provider));
        assertEquals(1, found.size(), provider + " in " + failed);
        assertEquals(spi, found.get(0).path("spi").asText());
        String reason = found.get(0).path("reason").asText();
        assertTrue(reason.startsWith(reasonStart), reason);
    }
}
