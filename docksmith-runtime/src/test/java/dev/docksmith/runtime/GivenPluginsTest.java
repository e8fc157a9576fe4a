package dev.docksmith.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import dev.docksmith.api.ImageRef;
import dev.docksmith.api.NotFoundException;
import dev.docksmith.api.UpdateCandidate;
import dev.docksmith.api.Verdict;
import dev.docksmith.spi.PluginContext;
import dev.docksmith.spi.PreUpdateCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.docksmith.runtime.TestPlugins.get;
import static dev.docksmith.runtime.TestPlugins.where;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Plugin instances given to the builder in code, besides and instead of those ServiceLoader finds. */
class GivenPluginsTest {
    private static final String IMAGE = "registry.test/team/app";

    /** One instance serving two SPIs, as a host's own integration might: a registry and a pre-update check. */
    static final class HostRegistry extends TestPlugins.FixedTags implements PreUpdateCheck {
        final AtomicInteger starts = new AtomicInteger();
        final AtomicInteger stops = new AtomicInteger();

        HostRegistry() {
            super("host-registry", "3.0.0", "3.1.0");
        }

        @Override
        public int priority() {
            return 1000; // above the built-in v2 plugin, which serves every registry too
        }

        @Override
        public boolean serves(ImageRef image) {
            return image.registry().equals("registry.test");
        }

        @Override
        public void start(PluginContext context) {
            starts.incrementAndGet();
        }

        @Override
        public void stop() {
            stops.incrementAndGet();
        }

        @Override
        public List<String> available() {
            return List.of("host-approval");
        }

        @Override
        public String resolve(String reference) {
            if (!reference.equals("host-approval")) {
                throw new NotFoundException("no check " + reference);
            }
            return reference;
        }

        @Override
        public Verdict run(String check, UpdateCandidate candidate) {
            return Verdict.allow();
        }
    }

    @Test
    void aPluginGivenInCodeIsUsedBesidesDiscoveredOnes(@TempDir Path dir) throws Exception {
        HostRegistry given = new HostRegistry();
        try (Docksmith docksmith = Docksmith.builder().config(TestPlugins.noEngine(dir)).plugin(given).build().start()) {
            JsonNode loaded = get(docksmith, "/api/docker-config").path("plugins").path("loaded");
            List<String> names = where(loaded, p -> true).stream().map(p -> p.path("name").asText() + "/" + p.path("spi").asText()).toList();
            assertTrue(names.containsAll(List.of("host-registry/RegistryPlugin", "host-registry/PreUpdateCheck",
                    "registry-v2/RegistryPlugin", "scripts/PreUpdateCheck", "strategy-recreate/UpdateStrategy")), names.toString());

            assertEquals("[\"3.1.0\",\"3.0.0\"]", get(docksmith, "/api/registry/tags/" + IMAGE).path("tags").toString(),
                    "the given plugin answers for its registry");
            assertTrue(get(docksmith, "/api/scripts").path("scripts").toString().contains("host-approval"));
            assertEquals(1, given.starts.get(), "one instance for two SPIs is started once");
        }
        assertEquals(1, given.stops.get(), "and stopped once");
    }

    @Test
    void withDiscoveryOffOnlyTheGivenPluginsAreUsed(@TempDir Path dir) throws Exception {
        try (Docksmith docksmith = Docksmith.builder().config(TestPlugins.noEngine(dir)).discoverPlugins(false)
                .plugin(new TestPlugins.FixedTags("only-registry", "5.0.0")).build().start()) {
            JsonNode plugins = get(docksmith, "/api/docker-config").path("plugins");
            assertEquals(List.of("only-registry"), where(plugins.path("loaded"), p -> true).stream().map(p -> p.path("name").asText()).toList(),
                    "no built-in plugin, although they are on the class path");
            assertEquals(0, plugins.path("failed").size(), plugins.toString());
            assertEquals("[\"5.0.0\"]", get(docksmith, "/api/registry/tags/" + IMAGE).path("tags").toString());
            assertEquals(0, get(docksmith, "/api/scripts").path("count").asInt(), "the scripts plugin was not discovered");
        }
    }
}
