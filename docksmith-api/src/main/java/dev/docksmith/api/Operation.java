package dev.docksmith.api;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One state-changing action (stop, restart, remove, prune, update, rollback, ...), as stored and as
 * {@code /api/operations} shows it. Immutable: the methods that change a field return a new
 * operation, which the runtime then saves under the same id.
 *
 * @param id            {@code op_} followed by a timestamp and a sequence, unique per store; not null
 * @param type          what was done: {@code stop}, {@code restart}, {@code update}, {@code prune}, ...;
 *                      not null
 * @param status        where it is; not null
 * @param containerName the container acted on, or null for host-wide operations such as prune
 * @param stackName     the compose project, or null
 * @param oldVersion    the tag before ({@code 1.25.3-alpine}), when the operation changes versions, else null
 * @param newVersion    the tag after ({@code 1.27.1-alpine}), when the operation changes versions, else null
 * @param startedAt     when it began (or was queued); not null
 * @param completedAt   when it ended, null until it is {@linkplain OperationStatus#terminal() terminal}
 * @param error         why it failed or was rolled back, null otherwise
 * @param details       small extra facts a later reader needs (image ids, counters, an update's
 *                      stored plan); never null (an immutable copy, empty when null is given), and
 *                      holds no null key or value
 */
public record Operation(String id, String type, OperationStatus status, String containerName, String stackName,
                        String oldVersion, String newVersion, Instant startedAt, Instant completedAt,
                        String error, Map<String, String> details) {
    /**
     * Checks and copies the components.
     *
     * @param id            the operation's id
     * @param type          what was done
     * @param status        where it is
     * @param containerName the container acted on, or null
     * @param stackName     the compose project, or null
     * @param oldVersion    the version before, or null
     * @param newVersion    the version after, or null
     * @param startedAt     when it began
     * @param completedAt   when it ended, or null
     * @param error         why it failed, or null
     * @param details       extra facts; null means none
     * @throws NullPointerException when {@code id}, {@code type}, {@code status} or {@code startedAt} is null
     */
    public Operation {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(startedAt, "startedAt");
        details = details == null ? Map.of() : Map.copyOf(details);
    }

    /**
     * A running operation that starts now.
     *
     * @param id            the new operation's id
     * @param type          what is being done
     * @param containerName the container acted on, or null
     * @param stackName     the compose project, or null
     * @param now           the start time
     * @return the operation, {@code RUNNING}, with no versions, error or details
     */
    public static Operation start(String id, String type, String containerName, String stackName, Instant now) {
        return new Operation(id, type, OperationStatus.RUNNING, containerName, stackName, null, null, now, null, null, Map.of());
    }

    /**
     * This operation, ended well.
     *
     * @param now the end time
     * @return a copy that is {@code COMPLETE}, with {@code completedAt} set and no error
     */
    public Operation complete(Instant now) {
        return new Operation(id, type, OperationStatus.COMPLETE, containerName, stackName, oldVersion, newVersion, startedAt, now, null, details);
    }

    /**
     * This operation, ended with a status other than complete.
     *
     * @param status the final status ({@code FAILED} or {@code ROLLED_BACK})
     * @param why    the error to record
     * @param now    the end time
     * @return a copy with that status, error and {@code completedAt}
     */
    public Operation end(OperationStatus status, String why, Instant now) {
        return new Operation(id, type, status, containerName, stackName, oldVersion, newVersion, startedAt, now, why, details);
    }

    /**
     * A queued operation, waiting for its turn (one update per stack at a time).
     *
     * @param id            the new operation's id
     * @param type          what is to be done
     * @param containerName the container to act on, or null
     * @param stackName     the compose project, or null
     * @param now           when it was queued (its {@code startedAt})
     * @return the operation, {@code QUEUED}, with no versions, error or details
     */
    public static Operation queue(String id, String type, String containerName, String stackName, Instant now) {
        return new Operation(id, type, OperationStatus.QUEUED, containerName, stackName, null, null, now, null, null, Map.of());
    }

    /**
     * This operation, now running.
     *
     * @return a copy that is {@code RUNNING}, with no {@code completedAt} or error
     */
    public Operation running() {
        return new Operation(id, type, OperationStatus.RUNNING, containerName, stackName, oldVersion, newVersion, startedAt, null, null, details);
    }

    /**
     * This operation with several more details.
     *
     * @param more details to add, without null keys or values; each replaces a detail with the same key
     * @return a copy with the details added
     */
    public Operation withDetails(Map<String, String> more) {
        var copy = new LinkedHashMap<>(details);
        copy.putAll(more);
        return new Operation(id, type, status, containerName, stackName, oldVersion, newVersion, startedAt, completedAt, error, copy);
    }

    /**
     * This operation with the versions it moves between.
     *
     * @param oldVersion the version before, or null
     * @param newVersion the version after, or null
     * @return a copy with those versions
     */
    public Operation withVersions(String oldVersion, String newVersion) {
        return new Operation(id, type, status, containerName, stackName, oldVersion, newVersion, startedAt, completedAt, error, details);
    }

    /**
     * This operation with one more detail.
     *
     * @param key   the detail's name, not null; replaces a detail with the same key
     * @param value its value, not null
     * @return a copy with the detail added
     */
    public Operation withDetail(String key, String value) {
        var copy = new LinkedHashMap<>(details);
        copy.put(key, value);
        return new Operation(id, type, status, containerName, stackName, oldVersion, newVersion, startedAt, completedAt, error, copy);
    }
}
