package dev.docksmith.runtime.docker;

import dev.docksmith.api.BadRequestException;
import dev.docksmith.runtime.json.Json;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Builds request targets from caller-supplied names. Every value is percent-encoded, and values that
 * could change which endpoint is hit are refused: dockerd decodes the path and then cleans it, so
 * {@code ../x} (even as {@code ..%2Fx}) would be answered with a redirect to another path.
 */
final class DockerPaths {
    private static final String UNRESERVED =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~";

    private DockerPaths() {
    }

    /**
     * One path segment for a container, network or volume name or id. A single leading {@code /} is
     * dropped because the engine itself reports container names as {@code /name}.
     */
    static String name(String kind, String value) {
        if (value == null || value.isBlank()) {
            throw new BadRequestException("missing " + kind + " name or id");
        }
        String name = value.startsWith("/") ? value.substring(1) : value;
        if (name.isEmpty() || name.contains("/") || name.equals(".") || name.equals("..")) {
            throw new BadRequestException("invalid " + kind + " name or id \"" + value + "\"");
        }
        return encode(name);
    }

    /**
     * An image reference ({@code localhost:5000/demo/app:1.0}, {@code sha256:ab12}), which the engine
     * routes with slashes in it: each segment is encoded, and empty, {@code .} and {@code ..} segments
     * are refused.
     */
    static String image(String reference) {
        if (reference == null || reference.isBlank()) {
            throw new BadRequestException("missing image name or id");
        }
        StringJoiner path = new StringJoiner("/");
        for (String segment : reference.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw new BadRequestException("invalid image reference \"" + reference + "\"");
            }
            path.add(encode(segment));
        }
        return path.toString();
    }

    /** Percent-encodes everything but RFC 3986 unreserved characters and ':' '@' (legal in a segment). */
    static String encode(String value) {
        StringBuilder out = new StringBuilder(value.length() + 8);
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (c < 0x80 && (UNRESERVED.indexOf(c) >= 0 || c == ':' || c == '@')) {
                out.append(c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xf, 16)))
                        .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
            }
        }
        return out.toString();
    }

    /** A query string builder: {@code new Query().add("all", "1").toString()} is {@code ?all=1}. */
    static final class Query {
        private final StringJoiner parts = new StringJoiner("&", "?", "").setEmptyValue("");

        Query add(String key, Object value) {
            if (value != null) {
                parts.add(URLEncoder.encode(key, StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(String.valueOf(value), StandardCharsets.UTF_8));
            }
            return this;
        }

        Query flag(String key, boolean value) {
            return add(key, value ? "1" : "0");
        }

        /** The engine's {@code filters} parameter: a JSON map of filter name to accepted values. */
        Query filters(Map<String, List<String>> filters) {
            return filters.isEmpty() ? this : add("filters", Json.text(filters));
        }

        @Override
        public String toString() {
            return parts.toString();
        }
    }
}
