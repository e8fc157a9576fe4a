package dev.docksmith.registry.v2;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.docksmith.api.DocksmithException;
import dev.docksmith.api.NotFoundException;
import dev.docksmith.api.RegistryException;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.TimeoutException;

/**
 * The one place where answers and failures become exceptions, each message saying what was being done:
 * {@code "<action> <subject>: <status> <registry error code> <message>"}.
 */
final class RegistryErrors {
    private static final ObjectMapper JSON = new ObjectMapper(new JsonFactory());

    private RegistryErrors() {
    }

    /** A registry answer that is not a success: {@link NotFoundException} for an unknown repository, else {@link RegistryException}. */
    static DocksmithException failure(Call call, HttpResponse<byte[]> response, String hint) {
        int status = response.statusCode();
        String[] error = error(response.body());
        String detail = error[0] != null ? error[0] + (error[1] != null ? " " + error[1] : "")
                : error[1] != null ? error[1] : reason(status);
        String message = call.action() + " " + call.subject() + ": " + status + " " + detail + hint;
        if (call.missing() == Call.Missing.NOT_FOUND && (status == 404 || "NAME_UNKNOWN".equals(error[0]))) {
            return new NotFoundException(message);
        }
        return new RegistryException(status, message);
    }

    /** The registry did not answer at all (refused, reset, timed out) even after the retries. */
    static RegistryException unreachable(Call call, RegistryEndpoint endpoint, Throwable cause) {
        return new RegistryException(0, call.action() + " " + call.subject() + ": " + where(call, endpoint)
                + " unreachable (" + describe(cause) + ")", cause);
    }

    /** Requests to a registry that just proved unreachable fail at once for a while. */
    static RegistryException stillUnreachable(Call call, RegistryEndpoint endpoint, String why) {
        return new RegistryException(0, call.action() + " " + call.subject() + ": " + where(call, endpoint)
                + " unreachable (" + why + "; not retried for a few seconds)");
    }

    /** The registry, or the other host (a token service) that answers for it. */
    private static String where(Call call, RegistryEndpoint endpoint) {
        String host = call.uri().getAuthority();
        return host == null || host.equalsIgnoreCase(endpoint.host()) ? "registry " + endpoint.describe()
                : host + " (for registry " + endpoint.registry() + ")";
    }

    /** A success status with an answer that cannot be used (not JSON, no digest, endless pages). */
    static RegistryException badAnswer(String action, String subject, int status, String what) {
        return new RegistryException(status, action + " " + subject + ": " + what);
    }

    static RegistryException interrupted(Call call) {
        return new RegistryException(0, call.action() + " " + call.subject() + ": interrupted");
    }

    static String describe(Throwable cause) {
        if (cause instanceof HttpConnectTimeoutException) {
            return "connect timed out";
        }
        if (cause instanceof SocketTimeoutException s && s.getMessage() != null
                && s.getMessage().toLowerCase(Locale.ROOT).contains("connect")) {
            return "connect timed out";
        }
        if (cause instanceof HttpTimeoutException || cause instanceof TimeoutException || cause instanceof SocketTimeoutException) {
            return "timed out";
        }
        Throwable t = cause;
        String message = null;
        while (t != null) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                message = t.getMessage();
            }
            if (t instanceof ConnectException && message != null) {
                break;
            }
            t = t.getCause();
        }
        String kind = cause instanceof ConnectException ? "connection failed" : cause.getClass().getSimpleName();
        return message == null ? kind : kind + ": " + message;
    }

    /** {code, message} of the first error of an OCI error body, or of a token endpoint's {@code details}; nulls when none. */
    static String[] error(byte[] body) {
        String[] out = new String[2];
        if (body == null || body.length == 0) {
            return out;
        }
        if (body[0] == '{') {
            try {
                JsonNode root = JSON.readTree(body);
                JsonNode first = root.path("errors").path(0);
                if (!first.isMissingNode()) {
                    out[0] = text(first.path("code"));
                    out[1] = text(first.path("message"));
                    return out;
                }
                for (String field : new String[] {"details", "error_description", "error", "message"}) {
                    String v = text(root.path(field));
                    if (v != null) {
                        out[1] = v;
                        return out;
                    }
                }
                return out;
            } catch (IOException | RuntimeException e) {
                // not JSON after all: fall through to text
            }
        }
        String text = new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8).strip();
        if (!text.isEmpty() && !text.startsWith("<")) {
            out[1] = text.lines().findFirst().orElse(text);
        }
        return out;
    }

    private static String text(JsonNode node) {
        return node.isTextual() && !node.asText().isBlank() ? node.asText() : null;
    }

    static String reason(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 429 -> "Too Many Requests";
            case 500 -> "Internal Server Error";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            default -> "HTTP " + status;
        };
    }
}
