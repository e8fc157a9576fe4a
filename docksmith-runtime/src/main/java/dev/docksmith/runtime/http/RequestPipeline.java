package dev.docksmith.runtime.http;

import dev.docksmith.api.BadRequestException;
import dev.docksmith.api.NotFoundException;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * What every request goes through, in memory, whichever server it came from: Host check, Origin
 * check (403), CORS preflight, bearer token (401, not for {@code /api/health}), declared body size
 * (413), routing (404/405), then for POST/PUT/PATCH the body (413 while reading), its content type
 * (415) and that it is well-formed JSON (400, whether or not the route reads it), then the handler;
 * every failure goes through {@link Errors} into the error envelope, with the CORS headers when the
 * origin is listed.
 */
final class RequestPipeline {
    private static final String CORS_ALLOW_HEADERS = "Authorization, Content-Type, X-Request-Id";

    private final Router router;
    private final long bodyLimit;

    RequestPipeline(Router router, long bodyLimit) {
        this.router = router;
        this.bodyLimit = bodyLimit;
    }

    /** Runs one request through the pipeline; an event-stream reply is returned, not started. */
    Reply handle(Request request, SecurityPolicy policy) {
        String origin = request.header("Origin").orElse(null);
        // A listed origin gets the CORS headers on errors too, so a dashboard can read why it was refused.
        boolean cors = policy.listedOrigin(origin);
        try {
            String host = request.header("Host").orElse(null);
            if (!policy.hostAllowed(host)) {
                throw HttpException.forbidden("host name '" + host + "' is not allowed (DNS rebinding protection); "
                        + "reach the server by a loopback name, its bind address or a configured host name");
            }
            if (!policy.originAllowed(origin, host)) {
                throw HttpException.forbidden("origin '" + origin + "' is not allowed to call this API");
            }
            if (cors && request.method().equals("OPTIONS") && request.header("Access-Control-Request-Method").isPresent()) {
                return preflight(request, origin);
            }
            if (policy.tokenRequired() && !HttpApi.OPEN_PATHS.contains(request.path())
                    && !policy.tokenMatches(request.header("Authorization").orElse(null))) {
                throw HttpException.unauthorized("missing or wrong bearer token (Authorization: Bearer <token>)");
            }
            checkDeclaredLength(request);
            Reply reply = router.dispatch(request, this::checkBody);
            return cors ? withCors(reply, origin) : reply;
        } catch (RuntimeException e) {
            Reply error = Errors.toReply(e, request);
            return cors ? withCors(error, origin) : error;
        }
    }

    private void checkDeclaredLength(Request request) {
        Optional<String> declared = request.header("Content-Length");
        if (declared.isPresent()) {
            try {
                if (Long.parseLong(declared.get().trim()) > bodyLimit) {
                    throw HttpException.payloadTooLarge(bodyLimit);
                }
            } catch (NumberFormatException e) {
                throw new BadRequestException("malformed Content-Length: " + declared.get());
            }
        }
    }

    /** POST/PUT/PATCH: read the body within the limit; a non-empty one must be JSON, and well-formed. */
    private void checkBody(Request request) {
        String method = request.method();
        if (!method.equals("POST") && !method.equals("PUT") && !method.equals("PATCH")) {
            return;
        }
        byte[] body = request.body();
        if (body.length > bodyLimit) {
            throw HttpException.payloadTooLarge(bodyLimit);
        }
        if (body.length > 0) {
            String contentType = request.header("Content-Type").orElse(null);
            if (!isJson(contentType)) {
                throw HttpException.unsupportedMediaType(contentType);
            }
            // A route that takes no body must still refuse a broken one: "Bad input never changes state."
            request.jsonValue();
        }
    }

    static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        int semicolon = contentType.indexOf(';');
        String media = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
        return media.equals("application/json") || (media.startsWith("application/") && media.endsWith("+json"));
    }

    private Reply preflight(Request request, String origin) {
        Set<String> allowed = router.allowedMethods(request.path());
        if (allowed.isEmpty()) {
            return withCors(Errors.toReply(new NotFoundException("no route for " + request.path()), request), origin);
        }
        return withCors(Reply.empty(204), origin)
                .header("Access-Control-Allow-Methods", String.join(", ", allowed))
                .header("Access-Control-Allow-Headers", CORS_ALLOW_HEADERS)
                .header("Access-Control-Max-Age", "600");
    }

    /** A reply made outside {@link #handle} (a refusal), with CORS headers when the request's origin is listed. */
    Reply withCorsIfListed(Reply reply, Request request, SecurityPolicy policy) {
        String origin = request.header("Origin").orElse(null);
        return policy.listedOrigin(origin) ? withCors(reply, origin) : reply;
    }

    private static Reply withCors(Reply reply, String origin) {
        return reply.header("Access-Control-Allow-Origin", origin)
                .header("Vary", "Origin")
                .header("Access-Control-Expose-Headers", "X-Request-Id");
    }
}
