package dev.docksmith.runtime.check;

import com.fasterxml.jackson.databind.JsonNode;
import dev.docksmith.api.ContainerInfo;
import dev.docksmith.api.ImageRef;
import dev.docksmith.runtime.docker.DockerClient;
import dev.docksmith.runtime.engine.ContainerViews;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Every container and what the engine knows of its image, in two engine calls made at once: the
 * container list and the image list (for the repo digests that tell which registry digest runs).
 */
final class Discovery {
    private Discovery() {
    }

    /** A container with the repo digests of the image it runs (empty for a locally built image). */
    record Found(ContainerInfo container, List<String> repoDigests) {
        /** The digest this container's repository recorded when the image was pulled, or null. */
        String localDigest(ImageRef ref) {
            for (String entry : repoDigests) {
                int at = entry.indexOf('@');
                if (at <= 0) {
                    continue;
                }
                try {
                    if (ImageRef.parse(entry.substring(0, at)).repositoryName().equals(ref.repositoryName())) {
                        return entry.substring(at + 1);
                    }
                } catch (RuntimeException ignored) {
                    // an odd entry; the others may still match
                }
            }
            return null;
        }
    }

    static List<Found> discover(DockerClient docker, Executor executor) {
        CompletableFuture<JsonNode> images = CompletableFuture.supplyAsync(docker::listImages, executor);
        JsonNode containers = docker.listContainers(true);
        Map<String, List<String>> digestsByImage = new HashMap<>();
        for (JsonNode image : Futures.join(images)) {
            List<String> digests = new ArrayList<>();
            image.path("RepoDigests").forEach(d -> digests.add(d.asText()));
            digestsByImage.put(image.path("Id").asText(), digests);
        }
        List<Found> found = new ArrayList<>();
        for (JsonNode c : containers) {
            ContainerInfo info = ContainerViews.fromListEntry(c);
            found.add(new Found(info, digestsByImage.getOrDefault(info.imageId(), List.of())));
        }
        return found;
    }
}
