package dev.docksmith.api;

import java.time.Duration;
import java.util.Objects;

/**
 * Too much of something is already running (checks at once); nothing was started. The HTTP API
 * answers 429 with {@code Retry-After}.
 */
public class BusyException extends DocksmithException {
    /** When trying again may succeed. */
    private final Duration retryAfter;

    /**
     * Too much is running to start this now.
     *
     * @param message    what is busy and how many are running
     * @param retryAfter when trying again may succeed
     */
    public BusyException(String message, Duration retryAfter) {
        super(message);
        this.retryAfter = Objects.requireNonNull(retryAfter, "retryAfter");
    }

    /**
     * When trying again may succeed.
     *
     * @return the delay to wait before trying again
     */
    public Duration retryAfter() {
        return retryAfter;
    }
}
