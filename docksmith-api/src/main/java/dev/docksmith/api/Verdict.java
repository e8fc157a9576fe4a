package dev.docksmith.api;

/**
 * A pre-update check's answer. Immutable; build it with {@link #allow()} or {@link #block(String)}.
 *
 * @param allowed true when the update may go ahead
 * @param reason  why not (for a script, its last output lines), shown as the container's
 *                {@code blocked_reason}; null when allowed
 */
public record Verdict(boolean allowed, String reason) {
    /**
     * The update may go ahead.
     *
     * @return an allowing verdict with no reason
     */
    public static Verdict allow() {
        return new Verdict(true, null);
    }

    /**
     * The update must wait.
     *
     * @param reason why, for the user; a generic reason is used when it is null or blank
     * @return a blocking verdict whose reason is never null
     */
    public static Verdict block(String reason) {
        return new Verdict(false, reason == null || reason.isBlank() ? "blocked by pre-update check" : reason);
    }
}
