package dev.docksmith.strategy.compose;

import dev.docksmith.api.DocksmithException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the host's compose directories appear to Docksmith when it runs in a container: the labels
 * name host paths ({@code /srv/stacks/web/compose.yaml}), the files are mounted elsewhere
 * ({@code /stacks/web/compose.yaml}). Written like volume specs: {@code /srv/stacks:/stacks}, several
 * separated by commas; the longest matching host prefix wins.
 */
record PathMap(List<Mapping> mappings) {
    /** The setting that configures it. */
    static final String SETTING = "DOCKSMITH_COMPOSE_PATH_MAP";

    /** No mapping: Docksmith sees the host's paths. */
    static final PathMap NONE = new PathMap(List.of());

    record Mapping(Path host, Path local) {
    }

    PathMap {
        mappings = mappings.stream().sorted((a, b) -> b.host().getNameCount() - a.host().getNameCount()).toList();
    }

    /** Parses {@code host:local[,host:local...]}; both sides must be absolute. */
    static PathMap parse(String text) {
        if (text == null || text.isBlank()) {
            return NONE;
        }
        List<Mapping> list = new ArrayList<>();
        for (String entry : text.split(",")) {
            String e = entry.trim();
            int colon = e.indexOf(':');
            if (colon <= 0 || colon == e.length() - 1) {
                throw new DocksmithException(SETTING + ": '" + e + "' is not host-path:container-path");
            }
            Path host = Path.of(e.substring(0, colon)).normalize();
            Path local = Path.of(e.substring(colon + 1)).normalize();
            if (!host.isAbsolute() || !local.isAbsolute()) {
                throw new DocksmithException(SETTING + ": both paths of '" + e + "' must be absolute");
            }
            list.add(new Mapping(host, local));
        }
        return new PathMap(list);
    }

    /** The path as Docksmith sees it; a path under no host prefix is returned as it is. */
    Path toLocal(Path hostPath) {
        Path p = hostPath.normalize();
        for (Mapping m : mappings) {
            if (p.startsWith(m.host())) {
                return m.local().resolve(m.host().relativize(p));
            }
        }
        return p;
    }

    boolean isEmpty() {
        return mappings.isEmpty();
    }
}
