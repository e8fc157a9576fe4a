package dev.docksmith.registry.v2;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What {@link RegistryTransport} needs from HTTP: one blocking exchange on the calling thread. Kept this
 * small so the retry, auth and error logic above it does not care how bytes reach the registry (and so
 * an embedder or a test can put its own underneath). Answers are plain {@link HttpResponse} values, the
 * type {@link V2RegistryClient#onResponse} has always handed to subclasses.
 */
public interface Http {

    /**
     * Sends the request and reads the whole answer, or throws when there was none.
     *
     * @throws IOException the registry could not be reached or did not answer in time
     *                     ({@link java.net.SocketTimeoutException})
     */
    HttpResponse<byte[]> send(Request request) throws IOException;

    /**
     * One request.
     *
     * @param headers name, value, name, value... ({@code Host}, {@code User-Agent} and {@code Content-Length}
     *                are the client's business)
     * @param body    the body to send, or null for none
     * @param timeout bounds connecting and each wait for the server; the whole exchange gets one more second
     */
    record Request(String method, URI uri, List<String> headers, byte[] body, Duration timeout) {
        public Request {
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(uri, "uri");
            Objects.requireNonNull(timeout, "timeout");
            headers = List.copyOf(headers);
            if (headers.size() % 2 != 0) {
                throw new IllegalArgumentException("headers must be name, value pairs");
            }
        }

        /** Safe to send twice: a connection that failed before answering may be retried on another one. */
        boolean idempotent() {
            return method.equals("GET") || method.equals("HEAD");
        }
    }
}
