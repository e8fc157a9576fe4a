package dev.docksmith.runtime;

/**
 * What an update may ask for besides the container and the version: the {@code force} and
 * {@code script} fields of {@code POST /api/update}, for {@link Docksmith#update(String, String, UpdateOptions)}.
 *
 * @param force  skip the pre-update check, and update a container labelled {@code docksmith.ignore=true}
 * @param script a pre-update check to run instead of the container's own (a script name, or any check
 *               a plugin offers), or null for the container's own
 */
public record UpdateOptions(boolean force, String script) {
    /** No force, the container's own pre-update check: what {@link Docksmith#update(String, String)} uses. */
    public static final UpdateOptions DEFAULTS = new UpdateOptions(false, null);

    /** Skips the pre-update check. */
    public static UpdateOptions forced() {
        return new UpdateOptions(true, null);
    }

    /** Runs {@code script} as the pre-update check instead of the container's own. */
    public static UpdateOptions withScript(String script) {
        return new UpdateOptions(false, script);
    }
}
