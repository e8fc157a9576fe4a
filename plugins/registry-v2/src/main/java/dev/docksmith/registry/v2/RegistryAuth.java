package dev.docksmith.registry.v2;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The Docker Engine's {@code X-Registry-Auth} header for pulls: base64url of a JSON login.
 */
public final class RegistryAuth {
    private static final ObjectMapper JSON = new ObjectMapper();

    private RegistryAuth() {
    }

    /**
     * @param registry the registry name as in image references ({@code docker.io}, {@code ghcr.io})
     */
    public static String header(Credentials credentials, String registry) {
        ObjectNode json = JSON.createObjectNode();
        if (credentials.isBasic()) {
            json.put("username", credentials.username());
            json.put("password", credentials.password());
        } else {
            json.put("identitytoken", credentials.identityToken());
        }
        json.put("serveraddress", DockerConfig.serverUrl(DockerConfig.normalise(registry)));
        return Base64.getUrlEncoder().encodeToString(json.toString().getBytes(StandardCharsets.UTF_8));
    }
}
