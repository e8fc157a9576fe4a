package dev.docksmith.strategy.recreate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.docksmith.api.ContainerInfo;
import dev.docksmith.spi.UpdateStrategy;
import dev.docksmith.strategy.recreate.RecreateStrategyTest.FakeEngine;
import dev.docksmith.tck.UpdateStrategyContract;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The TCK's update strategy contract, on {@link RecreateStrategyTest}'s in-memory engine: a snapshot is
 * every container's inspect document, and every engine call but an inspect is a change.
 */
class RecreateStrategyContractTest extends UpdateStrategyContract {
    private final FakeEngine engine;

    RecreateStrategyContractTest() throws IOException {
        engine = new FakeEngine();
    }

    @Override
    protected UpdateStrategy strategy() {
        return new RecreateStrategy(engine, RecreateStrategyTest.CLOCK);
    }

    @Override
    protected ContainerInfo container() {
        JsonNode web = engine.find("web");
        Map<String, String> labels = new HashMap<>();
        web.path("Config").path("Labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
        return new ContainerInfo(web.path("Id").asText(), "web", web.path("Config").path("Image").asText(),
                web.path("Image").asText(), engine.running("web") ? "running" : "exited", labels, null);
    }

    @Override
    protected Optional<ContainerInfo> unsupportedContainer() {
        return Optional.of(new ContainerInfo("id-db", "db", "postgres:16", "sha256:01", "running",
                Map.of(ContainerInfo.COMPOSE_PROJECT, "shop", ContainerInfo.COMPOSE_SERVICE, "db"), null));
    }

    @Override
    protected String newImage() {
        return RecreateStrategyTest.IMAGE_NEW;
    }

    @Override
    protected Object snapshot() {
        Map<String, JsonNode> containers = new TreeMap<>();
        engine.byId.forEach((id, doc) -> containers.put(id, doc.deepCopy()));
        return containers;
    }

    @Override
    protected List<String> changingCalls() {
        return engine.calls.stream().filter(c -> !c.startsWith("inspect ")).toList();
    }
}
