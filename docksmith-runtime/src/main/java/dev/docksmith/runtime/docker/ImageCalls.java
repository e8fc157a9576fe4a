package dev.docksmith.runtime.docker;

import com.fasterxml.jackson.databind.JsonNode;
import dev.docksmith.api.BadRequestException;
import dev.docksmith.api.DockerException;
import dev.docksmith.runtime.docker.transport.DockerRequest;
import dev.docksmith.runtime.docker.transport.DockerResponse;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.function.Consumer;

/** The {@code /images} endpoints. */
final class ImageCalls {
    private final EngineCaller engine;

    ImageCalls(EngineCaller engine) {
        this.engine = engine;
    }

    /** {@code all} adds intermediate images (the untagged parents of locally built ones). */
    JsonNode list(boolean all) {
        DockerPaths.Query query = new DockerPaths.Query();
        if (all) {
            query.flag("all", true);
        }
        return engine.json("listing images", engine.request("GET", "/images/json" + query));
    }

    JsonNode inspect(String nameOrId) {
        return engine.json("inspecting image " + nameOrId, engine.request("GET", "/images/" + DockerPaths.image(nameOrId) + "/json"));
    }

    /** Returns the engine's list of {@code {"Untagged": ...}} and {@code {"Deleted": ...}} entries. */
    JsonNode remove(String nameOrId, boolean force) {
        return engine.json("removing image " + nameOrId, engine.request("DELETE", "/images/"
                + DockerPaths.image(nameOrId) + new DockerPaths.Query().flag("force", force)));
    }

    /** Gives {@code source} the additional name {@code repository:tag}. */
    void tag(String source, String repository, String tag) {
        if (repository == null || repository.isBlank() || tag == null || tag.isBlank()) {
            throw new BadRequestException("tagging image " + source + ": repository and tag are required");
        }
        engine.call("tagging image " + source + " as " + repository + ":" + tag, engine.request("POST",
                "/images/" + DockerPaths.image(source) + "/tag"
                        + new DockerPaths.Query().add("repo", repository).add("tag", tag)));
    }

    /**
     * Pulls and reports each progress line. The engine answers 200 as soon as it starts, so a failure
     * later on arrives as an {@code error} line, which becomes a {@link DockerException} here.
     * <p>A pull may take as long as it keeps making progress, but neither the engine nor its registry
     * client gives up on a registry that stops sending: when no bytes come for the call timeout, the
     * pull is given up (and its connection closed, which lets the engine cancel it).
     *
     * @param registryAuth the {@code X-Registry-Auth} value (base64url JSON), or null for anonymous
     */
    void pull(String reference, String registryAuth, Consumer<JsonNode> progress) {
        String action = "pulling image " + reference;
        String[] nameAndTag = split(reference);
        DockerRequest request = engine.request("POST", "/images/create" + new DockerPaths.Query()
                .add("fromImage", nameAndTag[0]).add("tag", nameAndTag[1])).asStreaming(engine.callTimeout());
        if (registryAuth != null && !registryAuth.isBlank()) {
            request = request.withHeader("X-Registry-Auth", registryAuth);
        }
        try (DockerResponse response = engine.open(action, request)) {
            JsonLines.forEach(response.body(), line -> {
                String error = line.path("errorDetail").path("message").asText(line.path("error").asText(""));
                if (!error.isEmpty()) {
                    throw new DockerException(500, action + ": " + error);
                }
                if (progress != null) {
                    progress.accept(line);
                }
            });
        } catch (SocketTimeoutException e) {
            throw engine.stalled(action, request, e);
        } catch (IOException e) {
            throw engine.broken(action, e);
        }
    }

    /**
     * Splits a reference into the engine's {@code fromImage} and {@code tag} parameters (a digest goes
     * in {@code tag} too, as the docker CLI does it). A reference without either gets {@code latest}:
     * given no tag at all, the engine would pull every tag of the repository.
     */
    static String[] split(String reference) {
        if (reference == null || reference.isBlank() || reference.chars().anyMatch(Character::isWhitespace)) {
            throw new BadRequestException("invalid image reference \"" + reference + "\"");
        }
        int at = reference.indexOf('@');
        if (at >= 0) {
            // name:tag@digest pins the digest; the tag is decoration the engine would reject here
            return new String[] {withoutTag(reference.substring(0, at)), reference.substring(at + 1)};
        }
        String name = withoutTag(reference);
        return new String[] {name, name.length() == reference.length() ? "latest" : reference.substring(name.length() + 1)};
    }

    private static String withoutTag(String name) {
        int colon = name.lastIndexOf(':');
        return colon > name.lastIndexOf('/') ? name.substring(0, colon) : name;
    }
}
