package dev.docksmith.runtime.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * HTTP/1.1 over a plain socket for {@link FuzzIT}: it sends exactly what it is given (any method, a
 * raw request target, a lying or missing Content-Length, a chunked body, no Content-Type), which
 * {@code java.net.http} refuses to. One connection per request ({@code Connection: close}); the
 * body is written on another thread while the reply is read, so a server that answers 413 before
 * reading a huge body is still heard. An event stream is recognised by its content type and left
 * after the headers.
 */
final class FuzzHttp {
    /** How a request carries its body. */
    enum BodyMode { NONE, FIXED, CHUNKED, DECLARED_ONLY }

    /**
     * One request as sent. {@code target} is the raw request target (path and query, already
     * percent-encoded as intended). {@code declaredLength} is the Content-Length sent with
     * {@link BodyMode#DECLARED_ONLY} (the body is then not sent at all).
     */
    record Req(String method, String target, String contentType, byte[] body, BodyMode mode, long declaredLength) {
        int bodyLength() {
            return body == null ? 0 : body.length;
        }

        String path() {
            int q = target.indexOf('?');
            return q < 0 ? target : target.substring(0, q);
        }

        /** A reproducible one-line description (long bodies and targets abbreviated, their size given). */
        String describe() {
            StringBuilder s = new StringBuilder();
            s.append(method).append(' ').append(abbreviate(target, 300));
            if (contentType != null) {
                s.append("  Content-Type: ").append(escape(contentType));
            }
            switch (mode) {
                case NONE -> { }
                case FIXED -> s.append("  body(").append(bodyLength()).append(" B): ").append(abbreviate(escape(text(body)), 300));
                case CHUNKED -> s.append("  chunked body(").append(bodyLength()).append(" B): ").append(abbreviate(escape(text(body)), 120));
                case DECLARED_ONLY -> s.append("  Content-Length: ").append(declaredLength).append(" (body not sent)");
                default -> throw new IllegalStateException();
            }
            return s.toString();
        }
    }

    /** A reply; {@code failure} is set (and status is -1) when none came. */
    record Resp(int status, Map<String, List<String>> headers, byte[] body, boolean stream, String failure) {
        Optional<String> header(String name) {
            for (var e : headers.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
                    return Optional.of(e.getValue().get(0));
                }
            }
            return Optional.empty();
        }

        String text() {
            return FuzzHttp.text(body);
        }
    }

    private static final ExecutorService WRITERS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fuzz-http-writer");
        t.setDaemon(true);
        return t;
    });

    private FuzzHttp() {
    }

    static Resp send(int port, Req req, int timeoutMillis) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout(timeoutMillis);
            OutputStream out = socket.getOutputStream();
            StringBuilder head = new StringBuilder();
            head.append(req.method()).append(' ').append(req.target()).append(" HTTP/1.1\r\n");
            head.append("Host: 127.0.0.1:").append(port).append("\r\n");
            head.append("Connection: close\r\n");
            if (req.contentType() != null) {
                head.append("Content-Type: ").append(req.contentType()).append("\r\n");
            }
            switch (req.mode()) {
                case FIXED -> head.append("Content-Length: ").append(req.bodyLength()).append("\r\n");
                case CHUNKED -> head.append("Transfer-Encoding: chunked\r\n");
                case DECLARED_ONLY -> head.append("Content-Length: ").append(req.declaredLength()).append("\r\n");
                case NONE -> { }
                default -> throw new IllegalStateException();
            }
            head.append("\r\n");
            // Request targets may carry raw UTF-8 bytes on purpose; headers are ASCII.
            out.write(head.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            Future<?> writing = null;
            if (req.mode() == BodyMode.FIXED && req.bodyLength() > 0) {
                writing = WRITERS.submit(() -> writeQuietly(out, req.body(), false));
            } else if (req.mode() == BodyMode.CHUNKED) {
                writing = WRITERS.submit(() -> writeQuietly(out, req.body(), true));
            }
            Resp resp = read(socket.getInputStream(), req.method().equals("HEAD"));
            if (writing != null) {
                writing.cancel(true);
            }
            return resp;
        } catch (SocketTimeoutException e) {
            return new Resp(-1, Map.of(), new byte[0], false, "no reply within " + timeoutMillis + " ms");
        } catch (IOException e) {
            return new Resp(-1, Map.of(), new byte[0], false, "connection failed: " + e);
        }
    }

    private static void writeQuietly(OutputStream out, byte[] body, boolean chunked) {
        try {
            if (!chunked) {
                for (int off = 0; off < body.length; off += 65536) {
                    out.write(body, off, Math.min(65536, body.length - off));
                }
            } else {
                for (int off = 0; off < body.length; off += 65536) {
                    int n = Math.min(65536, body.length - off);
                    out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(body, off, n);
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                }
                out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            out.flush();
        } catch (IOException serverStoppedReading) {
            // the server may answer and close before reading everything; the reply is what counts
        }
    }

    private static Resp read(InputStream in, boolean head) throws IOException {
        String statusLine = line(in);
        String[] parts = statusLine.split(" ");
        if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
            return new Resp(-1, Map.of(), new byte[0], false, "not an HTTP reply: " + abbreviate(statusLine, 200));
        }
        int status = Integer.parseInt(parts[1]);
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (String line = line(in); !line.isEmpty(); line = line(in)) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.computeIfAbsent(line.substring(0, colon).trim(), k -> new ArrayList<>()).add(line.substring(colon + 1).trim());
            }
        }
        Resp headOnly = new Resp(status, headers, new byte[0], false, null);
        String type = headOnly.header("Content-Type").orElse("").toLowerCase(Locale.ROOT);
        if (type.startsWith("text/event-stream")) {
            return new Resp(status, headers, new byte[0], true, null);
        }
        if (head || status == 204 || status == 304) {
            return headOnly;
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (headOnly.header("Transfer-Encoding").filter(v -> v.equalsIgnoreCase("chunked")).isPresent()) {
            for (int size = Integer.parseInt(line(in).trim(), 16); size > 0; size = Integer.parseInt(line(in).trim(), 16)) {
                body.write(in.readNBytes(size));
                line(in);
            }
        } else if (headOnly.header("Content-Length").isPresent()) {
            body.write(in.readNBytes(Integer.parseInt(headOnly.header("Content-Length").get())));
        } else {
            body.write(in.readNBytes(16 << 20));
        }
        return new Resp(status, headers, body.toByteArray(), false, null);
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                if (line.size() == 0) {
                    throw new IOException("connection closed before a reply");
                }
                break;
            }
            line.write(c);
        }
        String s = line.toString(StandardCharsets.ISO_8859_1);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    static String text(byte[] bytes) {
        return bytes == null ? "" : new String(bytes, StandardCharsets.UTF_8);
    }

    static String abbreviate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "...(" + s.length() + " chars)";
    }

    /** Control characters and non-ASCII as escapes, so a report line stays one readable line. */
    static String escape(String s) {
        StringBuilder out = new StringBuilder(Math.min(s.length(), 4096) + 16);
        for (int i = 0; i < s.length() && out.length() < 4096; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f || c > 0x7e) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
