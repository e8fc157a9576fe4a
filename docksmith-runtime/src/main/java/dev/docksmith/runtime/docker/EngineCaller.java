package dev.docksmith.runtime.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.docksmith.api.ConflictException;
import dev.docksmith.api.DockerException;
import dev.docksmith.api.DocksmithException;
import dev.docksmith.api.NotFoundException;
import dev.docksmith.runtime.json.Json;
import dev.docksmith.runtime.docker.transport.DockerRequest;
import dev.docksmith.runtime.docker.transport.DockerResponse;
import dev.docksmith.runtime.docker.transport.DockerTransport;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one caller of the engine API: adds the negotiated version prefix, and turns every outcome that
 * is not a success into an exception that names the action that failed ("removing image abc: ...").
 * Status mapping lives here and nowhere else.
 */
final class EngineCaller {
    private static final int MAX_ERROR_BODY = 64 * 1024;
    /** Generous: image and container lists of a busy host are a few MB at most. */
    private static final int MAX_JSON_BODY = 64 * 1024 * 1024;
    /** dockerd's words when a client's version is out of its range. */
    private static final Pattern VERSION_LIMIT = Pattern.compile(
            "(?i)(?:minimum|maximum) supported API version is (\\d+\\.\\d+)");

    private final DockerTransport transport;
    private final Duration callTimeout;
    private final Object negotiationLock = new Object();
    private volatile ApiVersion version;

    EngineCaller(DockerTransport transport, Duration callTimeout) {
        this.transport = transport;
        this.callTimeout = callTimeout;
    }

    Duration callTimeout() {
        return callTimeout;
    }

    String endpoint() {
        return transport.endpoint();
    }

    /** A request with the call timeout; {@code target} is unversioned ({@code /containers/json}). */
    DockerRequest request(String method, String target) {
        return DockerRequest.of(method, target, callTimeout);
    }

    /** The negotiated version, negotiating first when none is known (at start, or after a failure). */
    ApiVersion apiVersion(String action) {
        ApiVersion known = version;
        if (known != null) {
            return known;
        }
        synchronized (negotiationLock) {
            if (version == null) {
                try {
                    version = VersionNegotiation.negotiate(transport, callTimeout);
                } catch (IOException e) {
                    throw unreachable(action, e);
                } catch (DockerException e) {
                    throw new DockerException(e.status(), action + ": " + e.getMessage(), e);
                }
            }
            return version;
        }
    }

    /**
     * Sends the request and returns the open response when the status is 2xx or one of
     * {@code alsoOk}; the caller closes it. Otherwise throws the mapped exception.
     */
    DockerResponse open(String action, DockerRequest request, int... alsoOk) {
        for (int attempt = 0; ; attempt++) {
            ApiVersion speaking = apiVersion(action);
            DockerResponse response;
            try {
                response = transport.execute(request.withTarget(speaking.prefix() + request.target()));
            } catch (SocketTimeoutException e) {
                throw request.streaming() && !request.idle().isZero() ? stalled(action, request, e) : unreachable(action, e);
            } catch (IOException e) {
                throw unreachable(action, e);
            }
            int status = response.status();
            if ((status >= 200 && status < 300) || contains(alsoOk, status)) {
                return response;
            }
            String message = errorMessage(action, response);
            ApiVersion adjusted = status == 400 && attempt == 0 ? versionFrom(message) : null;
            if (adjusted != null && !adjusted.equals(speaking)) {
                // Our negotiated version is outside the engine's range (it gave no minimum up front);
                // speak the version it named and try once more.
                version = adjusted;
                continue;
            }
            throw failure(action, status, message);
        }
    }

    /** Sends the request and parses the JSON answer (a missing body is {@link MissingNode}). */
    JsonNode json(String action, DockerRequest request) {
        try (DockerResponse response = open(action, request)) {
            byte[] body = response.readBody(MAX_JSON_BODY);
            if (body.length == 0) {
                return MissingNode.getInstance();
            }
            try {
                return Json.parse(body);
            } catch (IllegalArgumentException e) {
                throw new DockerException(response.status(), action + ": the engine sent " + e.getMessage());
            }
        } catch (IOException e) {
            throw broken(action, e);
        }
    }

    /** Sends the request, discarding the answer; statuses in {@code alsoOk} count as success. */
    int call(String action, DockerRequest request, int... alsoOk) {
        try (DockerResponse response = open(action, request, alsoOk)) {
            response.readBody(MAX_JSON_BODY); // to the end, so the connection goes back to the pool
            return response.status();
        } catch (IOException e) {
            throw broken(action, e);
        }
    }

    /** The engine could not be reached or did not answer in time: status 0, and forget what we knew. */
    DockerException unreachable(String action, IOException cause) {
        forgetEngine();
        return new DockerException(0, action + ": Docker engine unreachable at " + endpoint() + ": "
                + reason(cause), cause);
    }

    /** The engine answered but the connection failed while the body was read. */
    DockerException broken(String action, IOException cause) {
        if (cause instanceof SocketTimeoutException) {
            return unreachable(action, cause);
        }
        forgetEngine();
        return new DockerException(0, action + ": connection to Docker engine at " + endpoint()
                + " broke off: " + reason(cause), cause);
    }

    /**
     * A streaming call with an idle timeout that went silent (before its head or mid-body): the engine
     * took the request, so it is not reported unreachable; what it waits on (a registry) stalled.
     * A connect that timed out lands here too, which the message's wording still covers.
     */
    DockerException stalled(String action, DockerRequest request, SocketTimeoutException cause) {
        return new DockerException(504, action + ": no progress from the engine within " + request.idle().toMillis()
                + " ms, gave up (the registry or the engine stalled)", cause);
    }

    /** The exception for an engine error status, carrying the engine's own message. */
    static DocksmithException failure(String action, int status, String engineMessage) {
        String message = action + ": " + engineMessage;
        if (status == 404) {
            return new NotFoundException(message);
        }
        if (status == 409) {
            return new ConflictException(message);
        }
        return new DockerException(status, message);
    }

    /**
     * After a failure the engine may be restarting, possibly as another version: idle connections to
     * the old process are dead and the version must be asked again.
     */
    private void forgetEngine() {
        version = null;
        transport.evictIdle();
    }

    private String reason(IOException e) {
        if (e instanceof SocketTimeoutException) {
            return "no answer within " + callTimeout.toMillis() + " ms";
        }
        if (e instanceof FileSystemException fs && fs.getReason() != null) {
            return fs.getReason(); // the endpoint already names the file
        }
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }

    /** The engine's {@code {"message": ...}}, or its plain text, or the bare status. */
    private String errorMessage(String action, DockerResponse response) {
        try (response) {
            byte[] body = response.body().readNBytes(MAX_ERROR_BODY);
            String text = new String(body, StandardCharsets.UTF_8).trim();
            if (text.startsWith("{")) {
                try {
                    JsonNode message = Json.parse(body).path("message");
                    if (message.isTextual()) {
                        return message.asText();
                    }
                } catch (IllegalArgumentException notJson) {
                    // use the text as it is
                }
            }
            return text.isEmpty() ? "HTTP " + response.status() : text;
        } catch (IOException e) {
            throw broken(action, e);
        }
    }

    private static ApiVersion versionFrom(String message) {
        Matcher m = VERSION_LIMIT.matcher(message);
        return m.find() ? ApiVersion.parse(m.group(1)) : null;
    }

    private static boolean contains(int[] values, int value) {
        for (int v : values) {
            if (v == value) {
                return true;
            }
        }
        return false;
    }
}
