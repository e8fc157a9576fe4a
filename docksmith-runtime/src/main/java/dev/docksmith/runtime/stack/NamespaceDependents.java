package dev.docksmith.runtime.stack;

import com.fasterxml.jackson.databind.JsonNode;
import dev.docksmith.api.ContainerInfo;
import dev.docksmith.runtime.docker.ContainerViews;

import java.util.ArrayList;
import java.util.List;

/**
 * Finds the containers that live in another container's network namespace: compose's
 * {@code network_mode: "service:vpn"} and {@code docker run --network container:vpn}. The engine
 * resolves both to {@code HostConfig.NetworkMode = container:<vpn's id>} when it creates the
 * container, and never again: when vpn is recreated (new id) or restarted (new namespace), the
 * dependent keeps running with only {@code lo}. It has to be recreated onto the new container, or
 * restarted after a restart.
 *
 * <p>Two more references outlive a recreate, and are only in a container's inspect document
 * ({@link #pinned}): compose writes {@code volumes_from} as the container's id
 * ({@code HostConfig.VolumesFrom = ["<id>"]}, v1 {@code ["<id>:rw"]}; {@code docker run
 * --volumes-from vpn} keeps the name), and the engine's legacy link ({@code Links =
 * ["/vpn:/app/alias"]}) follows the target's rename, so after a recreate that keeps the old container
 * under another name the link names that one, and once it is removed the linking container can
 * neither exec nor restart ("Cannot link to a non running container").
 */
public final class NamespaceDependents {
    private static final String CONTAINER_MODE = "container:";

    private NamespaceDependents() {
    }

    /**
     * The running containers among {@code entries} (the engine's {@code GET /containers/json?all=1}
     * list, which carries {@code HostConfig.NetworkMode}) that share container {@code id}'s network
     * namespace. Stopped ones are left out: starting one later joins whatever holds that id then, and
     * recreating or restarting it here would start it against its owner's wish.
     */
    public static List<ContainerInfo> of(String id, JsonNode entries) {
        return of(id, entries, true);
    }

    /**
     * As {@link #of(String, JsonNode)}, with the stopped ones too when {@code runningOnly} is false:
     * for containers Docksmith itself recreated onto a container that is gone again.
     */
    public static List<ContainerInfo> of(String id, JsonNode entries, boolean runningOnly) {
        List<ContainerInfo> found = new ArrayList<>();
        if (id == null || id.isEmpty()) {
            return found;
        }
        for (JsonNode e : entries) {
            String mode = e.path("HostConfig").path("NetworkMode").asText("");
            if (mode.equals(CONTAINER_MODE + id) && (!runningOnly || "running".equals(e.path("State").asText()))) {
                found.add(ContainerViews.fromListEntry(e));
            }
        }
        return found;
    }

    /**
     * Whether the container inspected as {@code inspect} refers to container {@code oldId} (named
     * {@code oldName} now, or null when it is gone) by its {@code volumes_from} id or a legacy link.
     */
    public static boolean pinned(JsonNode inspect, String oldId, String oldName) {
        JsonNode host = inspect.path("HostConfig");
        for (JsonNode v : host.path("VolumesFrom")) {
            String entry = v.asText();
            if (entry.equals(oldId) || entry.startsWith(oldId + ":")) {
                return true;
            }
        }
        if (oldName != null) {
            for (JsonNode l : host.path("Links")) {
                if (l.asText().startsWith("/" + oldName + ":")) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * {@code restarted}, in the same order, with each container's namespace dependents restarted right
     * after it: a dependent listed before its owner moves behind it (restarting it first would be
     * undone by the owner's restart), and one not listed is added. Each container appears once.
     */
    public static List<ContainerInfo> withDependentsAfterOwners(List<ContainerInfo> restarted, JsonNode entries) {
        List<ContainerInfo> order = new ArrayList<>();
        for (ContainerInfo c : restarted) {
            if (order.stream().noneMatch(x -> x.id().equals(c.id()))) {
                order.add(c);
            }
            for (ContainerInfo d : of(c.id(), entries)) {
                order.removeIf(x -> x.id().equals(d.id()));
                order.add(d);
            }
        }
        return order;
    }
}
