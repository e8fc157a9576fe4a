package dev.docksmith.registry.dockerhub;

import java.net.http.HttpHeaders;
import java.util.Optional;

/**
 * Docker Hub's {@code ratelimit-limit: 100;w=21600} and {@code ratelimit-remaining: 76;w=21600}.
 *
 * @param windowSeconds the {@code w=} part, 0 when absent
 */
record RateLimit(int limit, int remaining, int windowSeconds) {

    /** Few left: at most a tenth of the limit, or at most 10. */
    boolean low() {
        return remaining <= Math.max(10, limit / 10);
    }

    static Optional<RateLimit> of(HttpHeaders headers) {
        Optional<String> remaining = headers.firstValue("ratelimit-remaining");
        if (remaining.isEmpty()) {
            return Optional.empty();
        }
        String limit = headers.firstValue("ratelimit-limit").orElse("");
        try {
            return Optional.of(new RateLimit(count(limit), count(remaining.get()), window(remaining.get())));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static int count(String value) {
        int semi = value.indexOf(';');
        String n = (semi >= 0 ? value.substring(0, semi) : value).trim();
        return n.isEmpty() ? 0 : Integer.parseInt(n);
    }

    private static int window(String value) {
        int w = value.indexOf("w=");
        if (w < 0) {
            return 0;
        }
        int end = w + 2;
        while (end < value.length() && Character.isDigit(value.charAt(end))) {
            end++;
        }
        return end > w + 2 ? Integer.parseInt(value.substring(w + 2, end)) : 0;
    }
}
