package dev.docksmith.strategy.compose;

import dev.docksmith.api.ContainerInfo;
import dev.docksmith.api.DocksmithException;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ComposeLocatorTest {
    private final ComposeLocator locator = new ComposeLocator();

    @Test
    void supportsOnlyContainersWithProjectAndService() {
        assertTrue(ComposeLocator.isCompose(Containers.compose("p", "web", "/srv/p", "/srv/p/compose.yml")));
        assertFalse(ComposeLocator.isCompose(Containers.withLabels("plain", Map.of())));
        assertFalse(ComposeLocator.isCompose(Containers.withLabels("half", Map.of(ContainerInfo.COMPOSE_PROJECT, "p"))));
        assertFalse(new ComposeStrategy(Map.of()).supports(Containers.withLabels("x", Map.of(ContainerInfo.COMPOSE_SERVICE, "s"))));
    }

    @Test
    void v2AbsoluteFilesAreKept() {
        var p = locator.locate(Containers.compose("p", "web", "/srv/p", "/srv/p/compose.yml,/etc/other/override.yml"));
        assertEquals(List.of(Path.of("/srv/p/compose.yml"), Path.of("/etc/other/override.yml")), p.files());
        assertEquals(Path.of("/srv/p"), p.workingDir());
        assertEquals(List.of(Path.of("/srv/p/.env")), p.envFiles());
        assertEquals("web", p.service());
        assertEquals("p", p.name());
    }

    @Test
    void v1RelativeFilesResolveAgainstTheWorkingDir() {
        var p = locator.locate(Containers.compose("p", "web", "/srv/p", "docker-compose.yml, ./sub/../prod.yml"));
        assertEquals(List.of(Path.of("/srv/p/docker-compose.yml"), Path.of("/srv/p/prod.yml")), p.files());
    }

    @Test
    void envFileLabelReplacesTheDefaultDotEnv() {
        Map<String, String> labels = new HashMap<>(Containers.compose("p", "web", "/srv/p", "c.yml").labels());
        labels.put(ComposeLocator.ENV_FILES_LABEL, "/srv/p/.env,prod.env");
        var p = locator.locate(Containers.withLabels("x", labels));
        assertEquals(List.of(Path.of("/srv/p/.env"), Path.of("/srv/p/prod.env")), p.envFiles());
    }

    @Test
    void unusableLabelsAreExplained() {
        var none = assertThrows(DocksmithException.class, () -> locator.locate(Containers.compose("p", "web", "/srv/p", null)));
        assertTrue(none.getMessage().contains(ContainerInfo.COMPOSE_CONFIG_FILES), none.getMessage());
        var relative = assertThrows(DocksmithException.class, () -> locator.locate(Containers.compose("p", "web", null, "c.yml")));
        assertTrue(relative.getMessage().contains("c.yml") && relative.getMessage().contains("working_dir"), relative.getMessage());
        var relDir = assertThrows(DocksmithException.class, () -> locator.locate(Containers.compose("p", "web", "srv", "c.yml")));
        assertTrue(relDir.getMessage().contains("not an absolute path"), relDir.getMessage());
        assertThrows(DocksmithException.class, () -> locator.locate(Containers.withLabels("plain", Map.of())));
    }

    @Test
    void withoutWorkingDirTheFirstFilesDirectoryIsTheProject() {
        var p = locator.locate(Containers.compose("p", "web", null, "/srv/p/compose.yml"));
        assertEquals(Path.of("/srv/p"), p.workingDir());
        assertEquals(List.of(Path.of("/srv/p/.env")), p.envFiles());
    }
}
