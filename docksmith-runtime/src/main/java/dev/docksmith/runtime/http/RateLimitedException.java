package dev.docksmith.runtime.http;

import java.time.Duration;
import java.util.Optional;

/**
 * Too many of something at once (checks, event-stream clients): answered with 429
 * {@code RATE_LIMITED}, and a {@code Retry-After} header when a delay is known.
 */
public class RateLimitedException extends HttpException {
    private final Duration retryAfter;

    public RateLimitedException(String message) {
        this(message, null);
    }

    public RateLimitedException(String message, Duration retryAfter) {
        super(429, "RATE_LIMITED", message);
        this.retryAfter = retryAfter;
    }

    /** When the caller may try again, if known. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
