package dev.docksmith.runtime.http;

import dev.docksmith.api.DocksmithException;

/**
 * A failure that already knows its HTTP status and error code: refusals of the HTTP layer itself
 * (401, 403, 405, 413, 415) and anything a handler wants to answer with a specific status.
 */
public class HttpException extends DocksmithException {
    private final int status;
    private final String code;

    public HttpException(int status, String code, String message) {
        super(message);
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("not an error status: " + status);
        }
        this.status = status;
        this.code = code;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    static HttpException unauthorized(String message) {
        return new HttpException(401, "UNAUTHORIZED", message);
    }

    static HttpException forbidden(String message) {
        return new HttpException(403, "FORBIDDEN", message);
    }

    static HttpException payloadTooLarge(long limit) {
        return new HttpException(413, "PAYLOAD_TOO_LARGE", "request body is larger than the limit of " + limit + " bytes");
    }

    static HttpException unsupportedMediaType(String contentType) {
        return new HttpException(415, "UNSUPPORTED_MEDIA_TYPE",
                "request body must be sent with Content-Type: application/json, not "
                        + (contentType == null ? "no content type" : "'" + contentType + "'"));
    }
}
