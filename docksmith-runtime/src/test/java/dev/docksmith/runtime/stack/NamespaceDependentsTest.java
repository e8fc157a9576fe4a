package dev.docksmith.runtime.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.docksmith.api.ContainerInfo;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Against list entries shaped as the engine's {@code GET /containers/json?all=1} (API 1.41). */
class NamespaceDependentsTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String VPN = "b60b168c2fe2839f117a5b884473c1d88298e63d119bb96ab08eb7085c8ae3bb";

    static ArrayNode entries() {
        ArrayNode list = JSON.createArrayNode();
        add(list, "vpn-id", "vpn", "bridge", "running");
        add(list, "app-id", "app", "container:" + VPN, "running");
        add(list, "web-id", "web", "default", "running");
        add(list, "gone-id", "stopped-app", "container:" + VPN, "exited");
        add(list, "other-id", "other", "container:" + VPN.replace('b', 'c'), "running");
        return list;
    }

    static void add(ArrayNode list, String id, String name, String networkMode, String state) {
        var e = list.addObject();
        e.put("Id", id).put("State", state).putArray("Names").add("/" + name);
        e.putObject("HostConfig").put("NetworkMode", networkMode);
        e.putObject("Labels");
    }

    static List<String> names(List<ContainerInfo> cs) {
        return cs.stream().map(ContainerInfo::name).toList();
    }

    @Test
    void findsTheRunningContainersPinnedToTheId() {
        assertEquals(List.of("app"), names(NamespaceDependents.of(VPN, entries())));
    }

    @Test
    void stoppedOnesOnlyWhenAskedFor() {
        assertEquals(List.of("app", "stopped-app"), names(NamespaceDependents.of(VPN, entries(), false)));
    }

    @Test
    void aPrefixOfTheIdOrNoIdFindsNothing() {
        assertEquals(List.of(), names(NamespaceDependents.of(VPN.substring(0, 12), entries())));
        assertEquals(List.of(), names(NamespaceDependents.of(null, entries())));
    }

    @Test
    void aDependentRestartsAfterItsOwnerEvenWhenListedBefore() {
        JsonNode list = entries();
        ArrayNode withVpnId = JSON.createArrayNode();
        list.forEach(e -> withVpnId.add(e.deepCopy()));
        ((com.fasterxml.jackson.databind.node.ObjectNode) withVpnId.get(0)).put("Id", VPN);
        ContainerInfo app = NamespaceDependents.of(VPN, withVpnId).get(0);
        ContainerInfo vpn = new ContainerInfo(VPN, "vpn", null, null, "running", null, null);
        ContainerInfo web = new ContainerInfo("web-id", "web", null, null, "running", null, null);

        assertEquals(List.of("web", "vpn", "app"),
                names(NamespaceDependents.withDependentsAfterOwners(List.of(app, web, vpn), withVpnId)));
        assertEquals(List.of("vpn", "app", "web"),
                names(NamespaceDependents.withDependentsAfterOwners(List.of(vpn, web), withVpnId)));
    }

    @Test
    void pinnedByAVolumesFromIdOrALinkToTheOldContainersNameNow() {
        var inspect = JSON.createObjectNode();
        var host = inspect.putObject("HostConfig");
        host.putArray("VolumesFrom").add("vpn");
        host.putArray("Links").add("/db:/store/db");
        assertEquals(false, NamespaceDependents.pinned(inspect, VPN, "vpn-docksmith-old-1"), "names are not pinned");

        host.putArray("VolumesFrom").add(VPN + ":rw"); // compose v1; v2 writes the bare id
        assertEquals(true, NamespaceDependents.pinned(inspect, VPN, null));
        host.putArray("VolumesFrom").add(VPN.substring(0, 12));
        assertEquals(false, NamespaceDependents.pinned(inspect, VPN, null));

        host.putArray("Links").add("/vpn-docksmith-old-1:/store/vpnalias");
        assertEquals(true, NamespaceDependents.pinned(inspect, VPN, "vpn-docksmith-old-1"));
        assertEquals(false, NamespaceDependents.pinned(inspect, VPN, null), "a link to a container that is gone cannot be told");
    }
}
