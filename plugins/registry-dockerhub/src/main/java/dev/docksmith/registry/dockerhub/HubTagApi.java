package dev.docksmith.registry.dockerhub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.docksmith.api.ImageRef;
import dev.docksmith.api.RegistryException;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;

/**
 * Hub's tag API: {@code GET /v2/repositories/<namespace>/<name>/tags?page_size=100}, following
 * {@code next}. Lists newest first; anonymous, so public repositories only.
 */
final class HubTagApi {
    static final String ACTION = "listing tags (Hub API) of";
    private static final int MAX_PAGES = 200;
    private static final ObjectMapper JSON = new ObjectMapper();

    private HubTagApi() {
    }

    static List<String> list(URI hubApi, ImageRef repository, Function<URI, byte[]> fetch) {
        String subject = repository.repositoryName();
        URI uri = URI.create(hubApi + "/v2/repositories/" + repository.repository() + "/tags?page_size=100");
        List<String> tags = new ArrayList<>();
        for (int page = 0; uri != null; page++) {
            if (page == MAX_PAGES) {
                throw new RegistryException(200, ACTION + " " + subject + ": more than " + MAX_PAGES + " pages");
            }
            JsonNode body;
            try {
                body = JSON.readTree(fetch.apply(uri));
            } catch (IOException e) {
                throw new RegistryException(200, ACTION + " " + subject + ": the answer is not JSON");
            }
            for (JsonNode result : body.path("results")) {
                String name = result.path("name").asText("");
                if (!name.isEmpty()) {
                    tags.add(name);
                }
            }
            String next = body.path("next").asText("");
            uri = next.isEmpty() ? null : uri.resolve(next);
        }
        return Collections.unmodifiableList(tags);
    }
}
