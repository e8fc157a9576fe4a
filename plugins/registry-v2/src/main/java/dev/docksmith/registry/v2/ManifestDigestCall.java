package dev.docksmith.registry.v2;

import dev.docksmith.api.ImageRef;

import java.net.http.HttpResponse;
import java.util.Optional;

/**
 * {@code HEAD /v2/<repo>/manifests/<tag>}, never a {@code GET} (Docker Hub counts a {@code GET} as a
 * pull), asking for every manifest type {@code docker pull} accepts so the digest is the one it records.
 */
final class ManifestDigestCall {
    static final String ACTION = "fetching the digest of";
    /** OCI index, OCI manifest, Docker manifest list, Docker manifest v2. */
    static final String ACCEPT = String.join(", ",
            "application/vnd.oci.image.index.v1+json",
            "application/vnd.oci.image.manifest.v1+json",
            "application/vnd.docker.distribution.manifest.list.v2+json",
            "application/vnd.docker.distribution.manifest.v2+json");

    private ManifestDigestCall() {
    }

    static Optional<String> digest(RegistryTransport transport, Authenticator auth, RegistryEndpoint endpoint, ImageRef image) {
        String reference = image.tag() != null ? image.tag() : image.digest();
        Call call = new Call("HEAD", endpoint.resolve("/v2/" + image.repository() + "/manifests/" + reference), ACCEPT,
                ACTION, image.toString(), TagsListCall.scope(image), null, null, Call.Missing.EMPTY);
        HttpResponse<byte[]> response = transport.send(call, auth);
        if (response.statusCode() == 404) {
            return Optional.empty();
        }
        Optional<String> digest = response.headers().firstValue("Docker-Content-Digest").map(String::trim);
        if (digest.isEmpty()) {
            // Some registries only send the digest as the ETag.
            digest = response.headers().firstValue("ETag").map(e -> e.replace("\"", "").replace("W/", "").trim())
                    .filter(e -> e.startsWith("sha256:") || e.startsWith("sha512:"));
        }
        if (digest.isEmpty()) {
            throw RegistryErrors.badAnswer(ACTION, image.toString(), response.statusCode(),
                    response.statusCode() + " without a Docker-Content-Digest header");
        }
        return digest;
    }
}
