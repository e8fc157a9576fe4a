package dev.docksmith.api;

/**
 * A pre-update check's answer.
 *
 * @param allowed true when the update may go ahead
 * @param reason  why not (the check's last output lines), or null when allowed
 */
public record Verdict(boolean allowed, String reason) {
    /** The update may go ahead. */
    public static Verdict allow() {
        return new Verdict(true, null);
    }

    /** The update must wait, because of {@code reason}. */
    public static Verdict block(String reason) {
        return new Verdict(false, reason == null || reason.isBlank() ? "blocked by pre-update check" : reason);
    }
}
