package dev.docksmith.runtime.docker;

import com.fasterxml.jackson.databind.JsonNode;
import dev.docksmith.api.DockerException;
import dev.docksmith.runtime.json.Json;
import dev.docksmith.runtime.docker.transport.DockerRequest;
import dev.docksmith.runtime.docker.transport.DockerResponse;
import dev.docksmith.runtime.docker.transport.DockerTransport;

import java.io.IOException;
import java.time.Duration;

/**
 * Finds the API version to speak, as the docker CLI does: {@code GET /_ping} names the engine's
 * newest version in its {@code Api-Version} header; engines (or proxies) that leave it out are asked
 * {@code GET /version}, which also names the oldest version they still accept. Both paths are
 * unversioned, so they work before any version is known.
 */
final class VersionNegotiation {
    private static final int MAX_BODY = 256 * 1024;

    private VersionNegotiation() {
    }

    /** The version to speak; {@link IOException} when the engine cannot be reached. */
    static ApiVersion negotiate(DockerTransport transport, Duration timeout) throws IOException {
        try (DockerResponse ping = transport.execute(DockerRequest.of("GET", "/_ping", timeout))) {
            ping.readBody(MAX_BODY); // read to the end so the connection is reused
            String header = ping.header("Api-Version");
            if (ping.status() == 200 && header != null) {
                try {
                    return ApiVersion.negotiate(ApiVersion.parse(header), null);
                } catch (IllegalArgumentException malformed) {
                    // fall through to /version, which says it in JSON
                }
            }
        }
        try (DockerResponse response = transport.execute(DockerRequest.of("GET", "/version", timeout))) {
            byte[] body = response.readBody(MAX_BODY);
            if (response.status() != 200) {
                throw new DockerException(response.status(), "negotiating the Docker API version with "
                        + transport.endpoint() + ": GET /version answered " + response.status());
            }
            try {
                JsonNode version = Json.parse(body);
                ApiVersion newest = ApiVersion.parse(version.path("ApiVersion").asText(null));
                String min = version.path("MinAPIVersion").asText(null);
                return ApiVersion.negotiate(newest, min == null ? null : ApiVersion.parse(min));
            } catch (IllegalArgumentException e) {
                throw new DockerException(response.status(), "negotiating the Docker API version with "
                        + transport.endpoint() + ": " + e.getMessage());
            }
        }
    }
}
