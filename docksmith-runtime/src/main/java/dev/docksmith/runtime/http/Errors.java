package dev.docksmith.runtime.http;

import dev.docksmith.api.BadRequestException;
import dev.docksmith.api.BusyException;
import dev.docksmith.api.ConflictException;
import dev.docksmith.api.DockerException;
import dev.docksmith.api.DocksmithException;
import dev.docksmith.api.NotFoundException;
import dev.docksmith.api.StorageException;

import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * The one place that turns a failure into a status, a code and the error envelope. Server-side
 * failures are logged with the request id; the client never gets a stack trace.
 */
final class Errors {
    private static final System.Logger LOG = System.getLogger("dev.docksmith.runtime.http");

    /** A failure as the client will see it. */
    record Mapped(int status, String code, String message) {
    }

    private Errors() {
    }

    static Reply toReply(Throwable failure, Request request) {
        String requestId = request == null ? RequestIds.next() : request.requestId();
        String what = request == null ? "request" : request.method() + " " + request.path();
        Mapped mapped = mapAndLog(failure, what, requestId);
        Throwable cause = unwrap(failure);
        Reply reply = Reply.error(mapped.status(), mapped.code(), mapped.message());
        if (mapped.status() == 401) {
            reply = reply.header("WWW-Authenticate", "Bearer");
        }
        Optional<Duration> retry = retryAfter(cause);
        if (retry.isPresent()) {
            reply = reply.header("Retry-After", Long.toString(Math.max(1, retry.get().toSeconds())));
        }
        return reply;
    }

    private static Optional<Duration> retryAfter(Throwable cause) {
        if (cause instanceof RateLimitedException) {
            return ((RateLimitedException) cause).retryAfter();
        }
        if (cause instanceof BusyException) {
            return Optional.of(((BusyException) cause).retryAfter());
        }
        return Optional.empty();
    }

    /** Maps and logs: server-side failures with their stack trace, refusals at debug level. */
    static Mapped mapAndLog(Throwable failure, String what, String requestId) {
        Throwable cause = unwrap(failure);
        Mapped mapped = map(cause, requestId);
        log(mapped, cause, what + " [" + requestId + "]");
        return mapped;
    }

    static Mapped map(Throwable failure, String requestId) {
        failure = unwrap(failure);
        if (failure instanceof HttpException) {
            HttpException e = (HttpException) failure;
            return new Mapped(e.status(), e.code(), e.getMessage());
        }
        if (failure instanceof NotFoundException) {
            return new Mapped(404, "NOT_FOUND", failure.getMessage());
        }
        if (failure instanceof BadRequestException) {
            return new Mapped(400, "BAD_REQUEST", failure.getMessage());
        }
        if (failure instanceof ConflictException) {
            return new Mapped(409, "CONFLICT", failure.getMessage());
        }
        if (failure instanceof BusyException) {
            return new Mapped(429, "RATE_LIMITED", failure.getMessage());
        }
        if (failure instanceof DockerException) {
            return docker((DockerException) failure);
        }
        if (failure instanceof StorageException) {
            return new Mapped(500, "STORAGE_ERROR", failure.getMessage());
        }
        if (failure instanceof UncheckedIOException && "reading the request body".equals(failure.getMessage())) {
            return new Mapped(400, "BAD_REQUEST", "could not read the request body: " + failure.getCause().getMessage());
        }
        if (failure instanceof DocksmithException && failure.getMessage() != null) {
            // Our own exceptions carry a message written for users ("removing image sha256:ab12").
            return new Mapped(500, "INTERNAL_ERROR", failure.getMessage() + " (request id " + requestId + ")");
        }
        return new Mapped(500, "INTERNAL_ERROR",
                "internal error; the server log has the details under request id " + requestId);
    }

    private static Mapped docker(DockerException e) {
        if (e.unreachable()) {
            // 500 as the contract lists it; the code tells an unreachable engine from a refusing one
            return new Mapped(500, "DOCKER_UNAVAILABLE", e.getMessage());
        }
        int status = e.status();
        if (status == 403) {
            // The engine's 403 refuses what the resource's state forbids (a network with containers
            // attached, bridge/host/none): a conflict for the caller, whose request itself was well formed.
            return new Mapped(409, "CONFLICT", e.getMessage());
        }
        // 401 from the engine is about Docksmith's access to it, not the caller's token.
        if (status >= 400 && status <= 499 && status != 401 && status != 407) {
            String code = status == 404 ? "NOT_FOUND" : status == 409 ? "CONFLICT" : "BAD_REQUEST";
            return new Mapped(status, code, e.getMessage());
        }
        return new Mapped(500, "DOCKER_ERROR", e.getMessage());
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable current = failure;
        while ((current instanceof CompletionException || current instanceof ExecutionException)
                && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }

    private static void log(Mapped mapped, Throwable cause, String what) {
        if ("INTERNAL_ERROR".equals(mapped.code()) || "STORAGE_ERROR".equals(mapped.code())) {
            LOG.log(Level.ERROR, what + " failed: " + mapped.code(), cause);
        } else if (mapped.status() >= 500) {
            LOG.log(Level.WARNING, what + " failed: " + mapped.code() + ": " + mapped.message());
        } else {
            LOG.log(Level.DEBUG, () -> what + " refused: " + mapped.status() + " " + mapped.code() + ": " + mapped.message());
        }
    }
}
