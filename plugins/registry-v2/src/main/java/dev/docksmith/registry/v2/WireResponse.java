package dev.docksmith.registry.v2;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLSession;

/**
 * An answer read by {@link BlockingHttp}, fully buffered. Implements the JDK's {@link HttpResponse} only as a
 * value type, because {@link V2RegistryClient#onResponse} (and subclasses in other plugins) take one; nothing
 * of the JDK client runs. {@link #request()} is built on demand since nobody needs it on the hot path.
 */
final class WireResponse implements HttpResponse<byte[]> {
    private final int status;
    private final HttpHeaders headers;
    private final byte[] body;
    private final Http.Request request;
    private final URI uri;
    private final SSLSession ssl;

    WireResponse(int status, Map<String, List<String>> headers, byte[] body, Http.Request request, URI uri, SSLSession ssl) {
        this.status = status;
        this.headers = HttpHeaders.of(headers, (name, value) -> true);
        this.body = body;
        this.request = request;
        this.uri = uri;
        this.ssl = ssl;
    }

    @Override
    public int statusCode() {
        return status;
    }

    @Override
    public HttpRequest request() {
        return HttpRequest.newBuilder(uri).method(request.method(), HttpRequest.BodyPublishers.noBody()).build();
    }

    @Override
    public Optional<HttpResponse<byte[]>> previousResponse() {
        return Optional.empty();
    }

    @Override
    public HttpHeaders headers() {
        return headers;
    }

    @Override
    public byte[] body() {
        return body;
    }

    @Override
    public Optional<SSLSession> sslSession() {
        return Optional.ofNullable(ssl);
    }

    @Override
    public URI uri() {
        return uri;
    }

    @Override
    public HttpClient.Version version() {
        return HttpClient.Version.HTTP_1_1;
    }

    @Override
    public String toString() {
        return "(" + request.method() + " " + uri + ") " + status;
    }
}
