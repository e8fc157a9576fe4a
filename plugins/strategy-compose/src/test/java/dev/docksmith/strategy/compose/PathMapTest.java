package dev.docksmith.strategy.compose;

import dev.docksmith.api.ContainerInfo;
import dev.docksmith.api.DocksmithException;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PathMapTest {
    @Test
    void theLongestHostPrefixWinsAndOtherPathsStay() {
        PathMap map = PathMap.parse("/srv:/mnt/srv, /srv/stacks:/stacks");
        assertEquals(Path.of("/stacks/web/compose.yaml"), map.toLocal(Path.of("/srv/stacks/web/compose.yaml")));
        assertEquals(Path.of("/mnt/srv/other/compose.yaml"), map.toLocal(Path.of("/srv/other/compose.yaml")));
        assertEquals(Path.of("/srvx/compose.yaml"), map.toLocal(Path.of("/srvx/compose.yaml")), "a prefix is whole path names");
        assertEquals(Path.of("/home/a/compose.yaml"), map.toLocal(Path.of("/home/a/compose.yaml")));
        assertTrue(PathMap.parse(" ").isEmpty());
    }

    @Test
    void aBadMapNamesTheSetting() {
        for (String bad : List.of("/srv", "relative:/x", "/x:relative", ":/x")) {
            DocksmithException e = assertThrows(DocksmithException.class, () -> PathMap.parse(bad));
            assertTrue(e.getMessage().startsWith("DOCKSMITH_COMPOSE_PATH_MAP: "), e.getMessage());
        }
    }

    @Test
    void theLocatorFindsTheHostsFilesWhereTheyAreMounted() {
        ContainerInfo v2 = new ContainerInfo("id", "web-1", "demo:1", "sha256:1", "running", Map.of(
                ContainerInfo.COMPOSE_PROJECT, "web", ContainerInfo.COMPOSE_SERVICE, "web",
                ContainerInfo.COMPOSE_WORKING_DIR, "/srv/stacks/web",
                ContainerInfo.COMPOSE_CONFIG_FILES, "/srv/stacks/web/compose.yaml,override.yaml"), null);
        ComposeLocator locator = new ComposeLocator(PathMap.parse("/srv/stacks:/stacks"));
        ComposeProject project = locator.locate(v2);
        assertEquals(Path.of("/stacks/web"), project.workingDir());
        assertEquals(List.of(Path.of("/stacks/web/compose.yaml"), Path.of("/stacks/web/override.yaml")), project.files());
        assertEquals(List.of(Path.of("/stacks/web/.env")), project.envFiles());
        assertEquals("/stacks/web/compose.yaml", locator.argument("/srv/stacks/web/compose.yaml"));
        assertEquals("override.yaml", locator.argument("override.yaml"), "relative: compose runs in the mapped working dir");
    }
}
