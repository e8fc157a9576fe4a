package dev.docksmith.runtime.engine;

import dev.docksmith.api.Event;
import dev.docksmith.runtime.json.Json;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EngineEventRelayTest {

    @Test
    void containerActionsBecomeContractEvents() {
        assertEquals("container.stopped", EngineEventRelay.eventType("stop"));
        assertEquals("container.removed", EngineEventRelay.eventType("destroy"));
        assertEquals("container.started", EngineEventRelay.eventType("start"));
        assertEquals("container.health", EngineEventRelay.eventType("health_status: healthy"));
        assertNull(EngineEventRelay.eventType("exec_create: sh"), "exec noise is not relayed");
    }

    @Test
    void payloadCarriesNameIdImageStackAndExitCode() {
        List<Event> published = new ArrayList<>();
        EngineEventRelay relay = new EngineEventRelay(null, published::add, null, null);
        relay.onEngineEvent(Json.parse(("{\"Type\":\"container\",\"Action\":\"die\",\"Actor\":{\"ID\":\"abc\",\"Attributes\":"
                + "{\"name\":\"web\",\"image\":\"nginx:1.25\",\"exitCode\":\"137\",\"com.docker.compose.project\":\"site\"}}}").getBytes()));
        relay.onEngineEvent(Json.parse("{\"Type\":\"image\",\"Action\":\"pull\",\"Actor\":{\"ID\":\"nginx\"}}".getBytes()));
        assertEquals(1, published.size(), "image events are not container events");
        Event e = published.get(0);
        assertEquals("container.died", e.type());
        assertEquals("web", e.payload().get("container"));
        assertEquals("abc", e.payload().get("id"));
        assertEquals("nginx:1.25", e.payload().get("image"));
        assertEquals("site", e.payload().get("stack"));
        assertEquals(137, e.payload().get("exit_code"));
        assertTrue(e.payload().containsKey("action"));
    }
}
