package dev.docksmith.registry.v2;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A {@code WWW-Authenticate} challenge: {@code Bearer realm="...",service="...",scope="..."} or
 * {@code Basic realm="..."}.
 */
record Challenge(String scheme, Map<String, String> params) {

    boolean isBasic() {
        return scheme.equals("basic");
    }

    boolean isBearer() {
        return scheme.equals("bearer");
    }

    String realm() {
        return params.get("realm");
    }

    String service() {
        return params.get("service");
    }

    String scope() {
        return params.get("scope");
    }

    /** The challenge to answer among the headers: Bearer (with a realm) before Basic; null when none is usable. */
    static Challenge pick(List<String> headers) {
        Challenge basic = null;
        for (String header : headers) {
            Challenge c = parse(header);
            if (c == null) {
                continue;
            }
            if (c.isBearer() && c.realm() != null) {
                return c;
            }
            if (c.isBasic()) {
                basic = c;
            }
        }
        return basic;
    }

    /** One challenge; parameters may be quoted (with commas inside) or bare tokens. */
    static Challenge parse(String header) {
        if (header == null) {
            return null;
        }
        String h = header.trim();
        int space = h.indexOf(' ');
        String scheme = (space < 0 ? h : h.substring(0, space)).toLowerCase(Locale.ROOT);
        if (scheme.isEmpty()) {
            return null;
        }
        Map<String, String> params = new HashMap<>();
        int i = space < 0 ? h.length() : space + 1;
        int n = h.length();
        while (i < n) {
            while (i < n && (h.charAt(i) == ' ' || h.charAt(i) == ',')) {
                i++;
            }
            int eq = h.indexOf('=', i);
            if (eq < 0) {
                break;
            }
            String name = h.substring(i, eq).trim().toLowerCase(Locale.ROOT);
            i = eq + 1;
            StringBuilder value = new StringBuilder();
            if (i < n && h.charAt(i) == '"') {
                i++;
                while (i < n && h.charAt(i) != '"') {
                    char ch = h.charAt(i);
                    if (ch == '\\' && i + 1 < n) {
                        ch = h.charAt(++i);
                    }
                    value.append(ch);
                    i++;
                }
                i++; // closing quote
            } else {
                while (i < n && h.charAt(i) != ',') {
                    value.append(h.charAt(i++));
                }
            }
            params.put(name, value.toString().trim());
        }
        return new Challenge(scheme, Map.copyOf(params));
    }
}
