package dev.docksmith.runtime.routes;

import com.fasterxml.jackson.databind.JsonNode;
import dev.docksmith.runtime.docker.DockerClient;
import dev.docksmith.runtime.http.Request;
import dev.docksmith.runtime.http.Router;
import dev.docksmith.runtime.http.Routes;
import dev.docksmith.runtime.operations.OperationLog;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * {@code POST /api/prune/...}. By default nothing a user may want back is pruned: images only when
 * dangling, like {@code docker image prune} (unused tagged images are what a rollback goes back to),
 * and volumes only when anonymous (named volumes hold data, also on a 1.41 engine, whose own prune
 * takes both). {@code ?all=true} removes every unused image and volume. System prune does containers, networks, volumes, then images (in that order, so
 * images freed by removed containers go too).
 */
public final class PruneRoutes implements Routes {
    private final DockerClient docker;
    private final OperationLog operations;

    public PruneRoutes(DockerClient docker, OperationLog operations) {
        this.docker = docker;
        this.operations = operations;
    }

    @Override
    public void routing(Router router) {
        router.post("/api/prune/containers", r -> prune("containers", r));
        router.post("/api/prune/images", r -> prune("images", r));
        router.post("/api/prune/networks", r -> prune("networks", r));
        router.post("/api/prune/volumes", r -> prune("volumes", r));
        router.post("/api/prune/system", r -> prune("system", r));
    }

    private Map<String, Object> prune(String kind, Request request) {
        boolean all = request.queryBool("all", false);
        var recorded = operations.run("prune_" + kind, null, null, op -> {
            PruneTotals totals = new PruneTotals();
            if (kind.equals("containers") || kind.equals("system")) {
                totals.add(docker.prune("containers", false));
            }
            if (kind.equals("networks") || kind.equals("system")) {
                totals.add(docker.prune("networks", false));
            }
            if (kind.equals("volumes") || kind.equals("system")) {
                totals.add(docker.prune("volumes", all));
            }
            if (kind.equals("images") || kind.equals("system")) {
                Set<String> imagesBefore = imageIds(docker.listImages(true));
                totals.addImages(docker.prune("images", all), imagesBefore);
            }
            return totals.view();
        });
        Map<String, Object> data = new LinkedHashMap<>(recorded.result());
        data.put("operation_id", recorded.operation().id());
        return data;
    }

    private static Set<String> imageIds(JsonNode images) {
        Set<String> ids = new HashSet<>();
        for (JsonNode image : images) {
            ids.add(image.path("Id").asText());
        }
        return ids;
    }

    /** Adds up the engine's prune reports into the contract's counters. */
    private static final class PruneTotals {
        int containers;
        int images;
        int networks;
        int volumes;
        long space;

        void add(JsonNode report) {
            containers += report.path("ContainersDeleted").size();
            networks += report.path("NetworksDeleted").size();
            volumes += report.path("VolumesDeleted").size();
            space += report.path("SpaceReclaimed").asLong();
        }

        /**
         * An image prune's report. Its {@code ImagesDeleted} has a {@code Deleted} entry for every removed
         * layer as well as every removed image, both as bare sha256 ids, so they cannot be told apart by
         * shape: counted are the deleted ids that were images just before the prune (a layer id never is
         * one). An image created and pruned in between would go uncounted; only the engine could avoid that.
         */
        void addImages(JsonNode report, Set<String> imagesBefore) {
            add(report);
            for (JsonNode entry : report.path("ImagesDeleted")) {
                if (imagesBefore.contains(entry.path("Deleted").asText())) {
                    images++;
                }
            }
        }

        Map<String, Object> view() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("containers_deleted", containers);
            m.put("images_deleted", images);
            m.put("networks_deleted", networks);
            m.put("volumes_deleted", volumes);
            m.put("space_reclaimed", space);
            return m;
        }
    }
}
