package dev.docksmith.api;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One state-changing action (stop, restart, remove, prune, update, rollback, ...), as stored and as
 * {@code /api/operations} shows it.
 *
 * @param id            {@code op_} followed by a timestamp and a sequence, unique per store
 * @param type          what was done: {@code stop}, {@code restart}, {@code update}, {@code prune}, ...
 * @param status        where it is
 * @param containerName the container acted on, or null for host-wide operations such as prune
 * @param stackName     the compose project, or null
 * @param oldVersion    the version before, when the operation changes versions
 * @param newVersion    the version after
 * @param startedAt     when it began
 * @param completedAt   when it ended, null while running
 * @param error         why it failed, null otherwise
 * @param details       small extra facts a later reader needs (image ids, counters); never null
 */
public record Operation(String id, String type, OperationStatus status, String containerName, String stackName,
                        String oldVersion, String newVersion, Instant startedAt, Instant completedAt,
                        String error, Map<String, String> details) {
    public Operation {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(startedAt, "startedAt");
        details = details == null ? Map.of() : Map.copyOf(details);
    }

    /** A running operation that starts now. */
    public static Operation start(String id, String type, String containerName, String stackName, Instant now) {
        return new Operation(id, type, OperationStatus.RUNNING, containerName, stackName, null, null, now, null, null, Map.of());
    }

    /** This operation, ended well. */
    public Operation complete(Instant now) {
        return new Operation(id, type, OperationStatus.COMPLETE, containerName, stackName, oldVersion, newVersion, startedAt, now, null, details);
    }

    /** This operation, ended with {@code status} (failed or rolled back) because of {@code why}. */
    public Operation end(OperationStatus status, String why, Instant now) {
        return new Operation(id, type, status, containerName, stackName, oldVersion, newVersion, startedAt, now, why, details);
    }

    /** A queued operation, waiting for its turn (one update per stack at a time). */
    public static Operation queue(String id, String type, String containerName, String stackName, Instant now) {
        return new Operation(id, type, OperationStatus.QUEUED, containerName, stackName, null, null, now, null, null, Map.of());
    }

    /** This operation, now running. */
    public Operation running() {
        return new Operation(id, type, OperationStatus.RUNNING, containerName, stackName, oldVersion, newVersion, startedAt, null, null, details);
    }

    /** This operation with several more details. */
    public Operation withDetails(Map<String, String> more) {
        var copy = new java.util.LinkedHashMap<>(details);
        copy.putAll(more);
        return new Operation(id, type, status, containerName, stackName, oldVersion, newVersion, startedAt, completedAt, error, copy);
    }

    /** This operation with the versions it moves between. */
    public Operation withVersions(String oldVersion, String newVersion) {
        return new Operation(id, type, status, containerName, stackName, oldVersion, newVersion, startedAt, completedAt, error, details);
    }

    /** This operation with one more detail. */
    public Operation withDetail(String key, String value) {
        var copy = new java.util.LinkedHashMap<>(details);
        copy.put(key, value);
        return new Operation(id, type, status, containerName, stackName, oldVersion, newVersion, startedAt, completedAt, error, copy);
    }
}
