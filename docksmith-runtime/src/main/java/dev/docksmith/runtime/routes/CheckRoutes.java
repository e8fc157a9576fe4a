package dev.docksmith.runtime.routes;

import dev.docksmith.api.BadRequestException;
import dev.docksmith.api.ImageRef;
import dev.docksmith.runtime.check.CheckScheduler;
import dev.docksmith.runtime.check.Checker;
import dev.docksmith.runtime.plugin.RegistryDirectory;
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
    /** Docker's limit on a repository name, registry included. */
    static final int MAX_NAME = 255;
    /** Checked before parsing: the name, a tag (128) and a digest fit. */
    static final int MAX_REFERENCE = 512;

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
        // Before ImageRef.parse, which trims (so "%00nginx" asked for nginx) and whose repository
        // pattern recurses once per name component (a name of thousands overflowed the stack: a 500).
        if (image.length() > MAX_REFERENCE || image.chars().anyMatch(ch -> Character.isWhitespace(ch) || Character.isISOControl(ch))) {
            throw new BadRequestException("invalid image reference '" + abbreviate(image) + "': at most " + MAX_REFERENCE
                    + " characters, without spaces or control characters");
        }
        ImageRef ref = ImageRef.parse(image);
        if (ref.repositoryName().length() > MAX_NAME) {
            // A registry answers such a name with an error of its own (the local one: 500 UNKNOWN).
            throw new BadRequestException("invalid image reference '" + abbreviate(image) + "': the repository name "
                    + abbreviate(ref.repositoryName()) + " is longer than " + MAX_NAME + " characters");
        }
        List<String> tags = sortedNewestFirst(registries.clientFor(ref).tags(ref));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("image_ref", image);
        m.put("repository", ref.repositoryName());
        m.put("tags", tags);
        m.put("count", tags.size());
        return m;
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 80) + "...";
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
