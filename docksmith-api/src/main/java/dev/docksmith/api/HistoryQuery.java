package dev.docksmith.api;

import java.time.Instant;

/**
 * Which check records to list, newest first. Null fields do not filter. Immutable.
 *
 * @param container only this container's checks, or null for all
 * @param since     only checks at or after this time, or null for all
 * @param limit     at most this many, from 1 to {@link OperationQuery#MAX_LIMIT}
 */
public record HistoryQuery(String container, Instant since, int limit) {
    /**
     * Checks the limit.
     *
     * @param container only this container's checks, or null
     * @param since     only checks at or after this time, or null
     * @param limit     at most this many
     * @throws BadRequestException when {@code limit} is not between 1 and {@link OperationQuery#MAX_LIMIT}
     */
    public HistoryQuery {
        if (limit <= 0 || limit > OperationQuery.MAX_LIMIT) {
            throw new BadRequestException("limit must be between 1 and " + OperationQuery.MAX_LIMIT + ", was " + limit);
        }
    }

    /**
     * Whether a record passes every filter (the limit is applied by the store).
     *
     * @param record a check record
     * @return true when it matches {@code container} and {@code since}
     */
    public boolean matches(CheckRecord record) {
        return (container == null || container.equals(record.containerName()))
                && (since == null || !record.checkedAt().isBefore(since));
    }
}
