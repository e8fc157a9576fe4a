package dev.docksmith.runtime.docker.transport;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The engine's answer. Closing it matters: over HTTP the connection goes back to the pool only when
 * the body was read to its end; closing earlier discards the connection, which is always safe.
 */
public final class DockerResponse implements Closeable {
    private final int status;
    private final Map<String, List<String>> headers;
    private final InputStream body;

    /** {@code body} is closed by {@link #close()}; header names are matched case-insensitively. */
    public DockerResponse(int status, Map<String, List<String>> headers, InputStream body) {
        this.status = status;
        TreeMap<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        this.headers = Collections.unmodifiableMap(copy);
        this.body = body;
    }

    public int status() {
        return status;
    }

    /** All headers, names case-insensitive. */
    public Map<String, List<String>> headers() {
        return headers;
    }

    /** The first value of a header, or null. */
    public String header(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** The media type without parameters, lower case, or "" when there is none. */
    public String mediaType() {
        String type = header("Content-Type");
        if (type == null) {
            return "";
        }
        int semicolon = type.indexOf(';');
        return (semicolon < 0 ? type : type.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    }

    /** The body, framed already (Content-Length, chunked or until close): EOF is the end of this response. */
    public InputStream body() {
        return body;
    }

    /** Reads the rest of the body, failing when it exceeds {@code limit} bytes. */
    public byte[] readBody(int limit) throws IOException {
        byte[] bytes = body.readNBytes(limit);
        if (bytes.length == limit && body.read() != -1) {
            throw new IOException("response body larger than " + limit + " bytes");
        }
        return bytes;
    }

    @Override
    public void close() throws IOException {
        body.close();
    }
}
