package dev.docksmith.runtime.check;

import com.fasterxml.jackson.databind.JsonNode;
import dev.docksmith.api.ContainerInfo;
import dev.docksmith.api.ImageRef;
import dev.docksmith.runtime.docker.DockerClient;
import dev.docksmith.runtime.docker.ContainerViews;
import dev.docksmith.runtime.engine.EngineInventory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Every container and the repo digests of the image it runs (which registry digest it was pulled
 * as), from the engine's container and image lists.
 */
final class Discovery {
    private Discovery() {
    }

    /** A container with the repo digests of the image it runs (empty for a locally built image). */
    record Found(ContainerInfo container, List<String> repoDigests) {
        /** The digest this container's repository recorded when the image was pulled, or null. */
        String localDigest(ImageRef ref) {
            return RepoDigests.digestFor(repoDigests, ref);
        }
    }

    /** Every container of the inventory's snapshot with its image's repo digests. */
    static List<Found> discover(EngineInventory inventory) {
        EngineInventory.Snapshot snapshot = inventory.snapshot();
        Map<String, List<String>> digestsByImage = new HashMap<>();
        for (JsonNode image : snapshot.images()) {
            digestsByImage.put(image.path("Id").asText(), strings(image.path("RepoDigests")));
        }
        List<Found> found = new ArrayList<>();
        for (JsonNode c : snapshot.containers()) {
            ContainerInfo info = ContainerViews.fromListEntry(c);
            found.add(new Found(info, digestsByImage.getOrDefault(info.imageId(), List.of())));
        }
        return found;
    }

    /** One container, asked of the engine directly (a recheck must see what is there now). */
    static Found one(DockerClient docker, String nameOrId) {
        ContainerInfo info = docker.container(nameOrId);
        List<String> digests = info.imageId() == null ? List.of() : strings(docker.inspectImage(info.imageId()).path("RepoDigests"));
        return new Found(info, digests);
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(d -> out.add(d.asText()));
        return out;
    }
}
