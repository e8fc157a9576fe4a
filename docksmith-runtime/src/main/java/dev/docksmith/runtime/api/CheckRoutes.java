package dev.docksmith.runtime.api;

import dev.docksmith.api.ImageRef;
import dev.docksmith.runtime.check.CheckScheduler;
import dev.docksmith.runtime.check.Checker;
import dev.docksmith.runtime.check.RegistryDirectory;
import dev.docksmith.runtime.http.Request;
import dev.docksmith.runtime.http.Router;
import dev.docksmith.runtime.http.Routes;
import dev.docksmith.runtime.version.TagVersion;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code /api/check}, {@code /api/trigger-check}, {@code /api/container/{name}/recheck} and {@code /api/registry/tags/{image...}}. */
public final class CheckRoutes implements Routes {
    private final CheckScheduler scheduler;
    private final Checker checker;
    private final RegistryDirectory registries;

    public CheckRoutes(CheckScheduler scheduler, Checker checker, RegistryDirectory registries) {
        this.scheduler = scheduler;
        this.checker = checker;
        this.registries = registries;
    }

    @Override
    public void routing(Router router) {
        router.get("/api/check", r -> scheduler.checkNow().toMap());
        router.post("/api/trigger-check", r -> trigger());
        router.get("/api/container/{name}/recheck", r -> checker.checkOne(r.param("name")).toMap());
        router.get("/api/registry/tags/{image...}", this::tags);
    }

    private Map<String, Object> trigger() {
        boolean joined = scheduler.backgroundRunning();
        scheduler.trigger();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", joined ? "running" : "started");
        m.put("message", joined ? "a background check is already running; this request joined it" : "background check started");
        return m;
    }

    private Map<String, Object> tags(Request request) {
        String image = request.param("image");
        ImageRef ref = ImageRef.parse(image);
        List<String> tags = sortedNewestFirst(registries.clientFor(ref).tags(ref));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("image_ref", image);
        m.put("repository", ref.repositoryName());
        m.put("tags", tags);
        m.put("count", tags.size());
        return m;
    }

    /** Version tags newest first, then the others (latest, alpine, ...) alphabetically, like the seed's example. */
    static List<String> sortedNewestFirst(List<String> tags) {
        List<Map.Entry<String, TagVersion>> versions = new ArrayList<>();
        List<String> others = new ArrayList<>();
        for (String tag : tags) {
            Optional<TagVersion> v = TagVersion.parse(tag);
            if (v.isPresent()) {
                versions.add(Map.entry(tag, v.get()));
            } else {
                others.add(tag);
            }
        }
        versions.sort(Map.Entry.<String, TagVersion>comparingByValue().reversed());
        others.sort(Comparator.naturalOrder());
        List<String> out = new ArrayList<>(tags.size());
        versions.forEach(e -> out.add(e.getKey()));
        out.addAll(others);
        return out;
    }
}
