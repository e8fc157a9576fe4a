package dev.docksmith.runtime.http;

import dev.docksmith.api.BadRequestException;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A compiled route template: literal segments, {@code {name}} (one segment) and a trailing greedy
 * {@code {name...}} (one or more segments, joined with '/').
 */
final class PathTemplate implements Comparable<PathTemplate> {
    private enum Kind { LITERAL, PARAM, GREEDY }

    private record Segment(Kind kind, String text) {
    }

    private final String template;
    private final List<Segment> segments;

    private PathTemplate(String template, List<Segment> segments) {
        this.template = template;
        this.segments = segments;
    }

    static PathTemplate parse(String template) {
        if (template == null || !template.startsWith("/")) {
            throw new IllegalArgumentException("route template must start with '/': " + template);
        }
        List<Segment> segments = new ArrayList<>();
        Set<String> names = new HashSet<>();
        String[] parts = splitPath(template);
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            if (part.startsWith("{") && part.endsWith("}")) {
                String name = part.substring(1, part.length() - 1);
                Kind kind = Kind.PARAM;
                if (name.endsWith("...")) {
                    name = name.substring(0, name.length() - 3);
                    kind = Kind.GREEDY;
                    if (i != parts.length - 1) {
                        throw new IllegalArgumentException("greedy parameter {" + name + "...} must be last in " + template);
                    }
                }
                if (name.isEmpty() || !names.add(name)) {
                    throw new IllegalArgumentException("empty or repeated parameter name in " + template);
                }
                segments.add(new Segment(kind, name));
            } else if (part.contains("{") || part.contains("}")) {
                throw new IllegalArgumentException("a parameter must be a whole segment in " + template);
            } else {
                segments.add(new Segment(Kind.LITERAL, part));
            }
        }
        return new PathTemplate(template, List.copyOf(segments));
    }

    /** Path segments without the leading and a trailing slash ("/a/b/" gives [a, b]). */
    static String[] splitPath(String path) {
        String trimmed = path.startsWith("/") ? path.substring(1) : path;
        if (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        return trimmed.isEmpty() ? new String[0] : trimmed.split("/", -1);
    }

    /** The parameters when {@code decodedSegments} matches, else null. */
    Map<String, String> match(String[] decodedSegments) {
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i < segments.size(); i++) {
            Segment segment = segments.get(i);
            if (segment.kind == Kind.GREEDY) {
                if (i >= decodedSegments.length) {
                    return null;
                }
                String rest = String.join("/", Arrays.copyOfRange(decodedSegments, i, decodedSegments.length));
                if (rest.isEmpty()) {
                    return null;
                }
                params.put(segment.text, rest);
                return params;
            }
            if (i >= decodedSegments.length) {
                return null;
            }
            String value = decodedSegments[i];
            if (segment.kind == Kind.LITERAL) {
                if (!segment.text.equals(value)) {
                    return null;
                }
            } else {
                if (value.isEmpty()) {
                    return null;
                }
                params.put(segment.text, value);
            }
        }
        return segments.size() == decodedSegments.length ? params : null;
    }

    /** Percent-decodes each segment ('+' stays '+' in paths); 400 when malformed. */
    static String[] decode(String[] rawSegments) {
        String[] decoded = new String[rawSegments.length];
        for (int i = 0; i < rawSegments.length; i++) {
            String raw = rawSegments[i];
            try {
                decoded[i] = raw.indexOf('%') < 0 ? raw
                        : URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new BadRequestException("malformed path segment '" + raw + "'");
            }
        }
        return decoded;
    }

    /** Same segment shape (the same paths would match both, whatever the parameter names). */
    boolean sameShape(PathTemplate other) {
        if (segments.size() != other.segments.size()) {
            return false;
        }
        for (int i = 0; i < segments.size(); i++) {
            Segment a = segments.get(i);
            Segment b = other.segments.get(i);
            if (a.kind != b.kind || (a.kind == Kind.LITERAL && !a.text.equals(b.text))) {
                return false;
            }
        }
        return true;
    }

    /** More specific first: at the first segment where the kinds differ, literal beats parameter beats greedy. */
    @Override
    public int compareTo(PathTemplate other) {
        int n = Math.min(segments.size(), other.segments.size());
        for (int i = 0; i < n; i++) {
            int byKind = segments.get(i).kind.compareTo(other.segments.get(i).kind);
            if (byKind != 0) {
                return byKind;
            }
        }
        return Integer.compare(other.segments.size(), segments.size());
    }

    @Override
    public String toString() {
        return template;
    }
}
