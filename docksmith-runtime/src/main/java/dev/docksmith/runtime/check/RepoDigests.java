package dev.docksmith.runtime.check;

import com.fasterxml.jackson.databind.JsonNode;
import dev.docksmith.api.ImageRef;

import java.util.ArrayList;
import java.util.List;

/** The {@code repo@sha256:...} entries the engine records for an image it pulled. */
public final class RepoDigests {
    private RepoDigests() {
    }

    /** The entries of an image's {@code RepoDigests} (from an image list or inspect). */
    public static List<String> of(JsonNode image) {
        List<String> list = new ArrayList<>();
        image.path("RepoDigests").forEach(n -> list.add(n.asText()));
        return list;
    }

    /** The digest recorded for {@code ref}'s repository, or null (a locally built image has none). */
    public static String digestFor(List<String> repoDigests, ImageRef ref) {
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
