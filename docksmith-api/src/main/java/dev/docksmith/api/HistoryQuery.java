package dev.docksmith.api;

import java.time.Instant;

/**
 * Which check records to list, newest first. Null fields do not filter.
 *
 * @param container only this container's checks
 * @param since     only checks at or after this time
 * @param limit     at most this many (greater than 0)
 */
public record HistoryQuery(String container, Instant since, int limit) {
    public HistoryQuery {
        if (limit <= 0 || limit > OperationQuery.MAX_LIMIT) {
            throw new BadRequestException("limit must be between 1 and " + OperationQuery.MAX_LIMIT + ", was " + limit);
        }
    }

    /** True when {@code record} passes every filter. */
    public boolean matches(CheckRecord record) {
        return (container == null || container.equals(record.containerName()))
                && (since == null || !record.checkedAt().isBefore(since));
    }
}
