package dev.docksmith.registry.v2;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ProtocolException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads one HTTP/1.1 answer off a connection: status line, headers, and the body delimited the way the
 * server chose (none, {@code Content-Length}, chunked, or until close). Limits guard against a broken or
 * hostile server filling memory; registry answers (tag lists, tokens, errors) are far smaller.
 */
final class ResponseReader {
    private static final int MAX_LINE = 64 * 1024;
    private static final int MAX_HEADERS = 256;
    private static final int MAX_BODY = 64 * 1024 * 1024;

    /**
     * @param keepAlive the body was delimited and the server did not ask to close: the connection may be reused
     */
    record Answer(int status, Map<String, List<String>> headers, byte[] body, boolean keepAlive) {
    }

    private ResponseReader() {
    }

    static Answer read(InputStream in, String method) throws IOException {
        while (true) {
            String statusLine = line(in);
            if (statusLine == null) {
                throw new EOFException("the server closed the connection without answering");
            }
            int status = status(statusLine);
            Map<String, List<String>> headers = headers(in);
            if (status >= 100 && status < 200 && status != 101) {
                continue; // interim answers (100 Continue, 103 Early Hints) precede the real one
            }
            boolean http10 = statusLine.startsWith("HTTP/1.0");
            boolean close = hasToken(headers, "Connection", "close") || (http10 && !hasToken(headers, "Connection", "keep-alive"));
            if (method.equals("HEAD") || status == 204 || status == 304 || status == 101) {
                return new Answer(status, headers, new byte[0], !close && status != 101);
            }
            if (isChunked(headers)) {
                return new Answer(status, headers, chunked(in), !close);
            }
            List<String> length = headers.get("Content-Length");
            if (length != null) {
                return new Answer(status, headers, exactly(in, contentLength(length)), !close);
            }
            return new Answer(status, headers, untilClose(in), false);
        }
    }

    private static int status(String line) throws ProtocolException {
        // "HTTP/1.1 200 OK"; the reason phrase may be missing
        if (!line.startsWith("HTTP/1.") || line.length() < 12 || line.charAt(8) != ' ') {
            throw new ProtocolException("not an HTTP/1.x status line: " + abbreviate(line));
        }
        try {
            return Integer.parseInt(line.substring(9, 12));
        } catch (NumberFormatException e) {
            throw new ProtocolException("not an HTTP/1.x status line: " + abbreviate(line));
        }
    }

    private static Map<String, List<String>> headers(InputStream in) throws IOException {
        // Case-insensitive like HTTP itself, and what HttpHeaders.of wants (no names differing only in case).
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (int n = 0; ; n++) {
            String line = line(in);
            if (line == null) {
                throw new EOFException("the server closed the connection in the middle of the headers");
            }
            if (line.isEmpty()) {
                return headers;
            }
            if (n == MAX_HEADERS) {
                throw new ProtocolException("more than " + MAX_HEADERS + " headers");
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new ProtocolException("not a header line: " + abbreviate(line));
            }
            headers.computeIfAbsent(line.substring(0, colon).trim(), k -> new ArrayList<>(1)).add(line.substring(colon + 1).trim());
        }
    }

    private static boolean isChunked(Map<String, List<String>> headers) {
        List<String> codings = headers.get("Transfer-Encoding");
        if (codings == null) {
            return false;
        }
        String last = codings.get(codings.size() - 1);
        int comma = last.lastIndexOf(',');
        return last.substring(comma + 1).trim().equalsIgnoreCase("chunked");
    }

    private static boolean hasToken(Map<String, List<String>> headers, String name, String token) {
        for (String value : headers.getOrDefault(name, List.of())) {
            for (String t : value.split(",")) {
                if (t.trim().equalsIgnoreCase(token)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static int contentLength(List<String> values) throws ProtocolException {
        long length = -1;
        for (String v : values) {
            long l;
            try {
                l = Long.parseLong(v.trim());
            } catch (NumberFormatException e) {
                throw new ProtocolException("bad Content-Length: " + abbreviate(v));
            }
            if (l < 0 || (length >= 0 && l != length)) {
                throw new ProtocolException("bad Content-Length: " + values);
            }
            length = l;
        }
        if (length > MAX_BODY) {
            throw new ProtocolException("answer too large: " + length + " bytes");
        }
        return (int) length;
    }

    private static byte[] exactly(InputStream in, int length) throws IOException {
        byte[] body = in.readNBytes(length);
        if (body.length != length) {
            throw new EOFException("the server closed the connection after " + body.length + " of " + length + " bytes");
        }
        return body;
    }

    private static byte[] chunked(InputStream in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = line(in);
            if (sizeLine == null) {
                throw new EOFException("the server closed the connection in a chunked answer");
            }
            int semi = sizeLine.indexOf(';'); // chunk extensions are allowed and meaningless to us
            long size;
            try {
                size = Long.parseLong((semi >= 0 ? sizeLine.substring(0, semi) : sizeLine).trim(), 16);
            } catch (NumberFormatException e) {
                throw new ProtocolException("bad chunk size: " + abbreviate(sizeLine));
            }
            if (size < 0 || body.size() + size > MAX_BODY) {
                throw new ProtocolException("bad chunk size: " + abbreviate(sizeLine));
            }
            if (size == 0) {
                headers(in); // trailers, if any, end with an empty line like the headers
                return body.toByteArray();
            }
            body.write(exactly(in, (int) size));
            String end = line(in);
            if (end == null || !end.isEmpty()) {
                throw new ProtocolException("chunk not followed by CRLF");
            }
        }
    }

    private static byte[] untilClose(InputStream in) throws IOException {
        byte[] body = in.readNBytes(MAX_BODY + 1);
        if (body.length > MAX_BODY) {
            throw new ProtocolException("answer too large");
        }
        return body;
    }

    /** A line without its CRLF (or bare LF), or null at the end of the stream before any byte. */
    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder(64);
        while (true) {
            int b = in.read();
            if (b < 0) {
                if (line.length() == 0) {
                    return null;
                }
                throw new EOFException("the server closed the connection in the middle of a line");
            }
            if (b == '\n') {
                int end = line.length();
                if (end > 0 && line.charAt(end - 1) == '\r') {
                    line.setLength(end - 1);
                }
                return line.toString();
            }
            if (line.length() == MAX_LINE) {
                throw new ProtocolException("line longer than " + MAX_LINE + " bytes");
            }
            line.append((char) b); // ISO-8859-1, as HTTP/1.1 headers are
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }
}
