package dev.docksmith.runtime.docker.transport;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * HTTP/1.1 framing on one {@link RawConnection}: writes a request, reads a status line and headers.
 * The buffered input lives as long as the connection, because bytes read ahead belong to it, not to a
 * single response.
 */
final class HttpConnection {
    private static final int MAX_LINE = 16 * 1024;
    private static final int MAX_HEADERS = 200;

    private final RawConnection raw;
    private final BufferedInputStream in;
    private final OutputStream out;
    private long idleSince = System.nanoTime();

    HttpConnection(RawConnection raw) {
        this.raw = raw;
        this.in = new BufferedInputStream(raw.in(), 16 * 1024);
        this.out = new BufferedOutputStream(raw.out(), 8 * 1024);
    }

    /** Thrown when the peer closed before the first byte of the status line: the request was likely never read. */
    static final class NoResponseException extends EOFException {
        NoResponseException() {
            super("connection closed before any response");
        }
    }

    /** The status line and headers of a response. */
    record Head(String version, int status, String reason, Map<String, List<String>> headers) {
        String header(String name) {
            List<String> values = headers.get(name);
            return values == null || values.isEmpty() ? null : values.get(0);
        }
    }

    InputStream in() {
        return in;
    }

    void setTimeout(Duration timeout) throws IOException {
        raw.setTimeout(timeout);
    }

    void write(DockerRequest request, String hostHeader) throws IOException {
        StringBuilder head = new StringBuilder(256);
        head.append(request.method()).append(' ').append(request.target()).append(" HTTP/1.1\r\n");
        head.append("Host: ").append(hostHeader).append("\r\n");
        head.append("User-Agent: Docksmith\r\n");
        request.headers().forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        if (request.bodyUnsafe() != null || request.method().equals("POST") || request.method().equals("PUT")) {
            // dockerd rejects some bodiless POSTs without a length, so always send one there.
            head.append("Content-Length: ").append(request.bodyLength()).append("\r\n");
        }
        head.append("\r\n");
        out.write(head.toString().getBytes(StandardCharsets.UTF_8));
        if (request.bodyUnsafe() != null) {
            out.write(request.bodyUnsafe());
        }
        out.flush();
    }

    Head readHead() throws IOException {
        String statusLine = readLine(true);
        while (statusLine.isEmpty()) {
            statusLine = readLine(false); // tolerate a stray CRLF left by a sloppy previous response
        }
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP response: " + abbreviate(statusLine));
        }
        int status;
        try {
            status = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw new IOException("bad HTTP status line: " + abbreviate(statusLine));
        }
        Map<String, List<String>> headers = readFields();
        return new Head(parts[0], status, parts.length > 2 ? parts[2] : "", headers);
    }

    /** Header fields up to the empty line; also used for chunked trailers. */
    Map<String, List<String>> readFields() throws IOException {
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        int count = 0;
        for (String line = readLine(false); !line.isEmpty(); line = readLine(false)) {
            if (++count > MAX_HEADERS) {
                throw new IOException("too many header fields");
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new IOException("bad header line: " + abbreviate(line));
            }
            headers.computeIfAbsent(line.substring(0, colon).trim(), k -> new ArrayList<>())
                    .add(line.substring(colon + 1).trim());
        }
        return headers;
    }

    /** A CRLF (or bare LF) terminated line in ISO-8859-1, without the terminator. */
    String readLine(boolean first) throws IOException {
        StringBuilder line = new StringBuilder();
        while (true) {
            int b = in.read();
            if (b < 0) {
                if (first && line.length() == 0) {
                    throw new NoResponseException();
                }
                throw new EOFException("connection closed in the middle of a header line");
            }
            if (b == '\n') {
                int len = line.length();
                if (len > 0 && line.charAt(len - 1) == '\r') {
                    line.setLength(len - 1);
                }
                return line.toString();
            }
            if (line.length() >= MAX_LINE) {
                throw new IOException("header line longer than " + MAX_LINE + " bytes");
            }
            line.append((char) b);
        }
    }

    /** Nothing buffered and the peer still there: fit to carry another request. */
    boolean reusable(Duration maxIdle) {
        try {
            if (in.available() > 0) {
                return false;
            }
        } catch (IOException e) {
            return false;
        }
        return System.nanoTime() - idleSince < maxIdle.toNanos() && !raw.stale();
    }

    void markIdle() {
        idleSince = System.nanoTime();
    }

    void close() {
        raw.close();
    }

    private static String abbreviate(String s) {
        return s.length() > 100 ? s.substring(0, 100) + "..." : s;
    }
}
