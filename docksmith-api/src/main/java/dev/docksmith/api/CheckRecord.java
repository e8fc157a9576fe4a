package dev.docksmith.api;

import java.time.Instant;

/**
 * The result of checking one container once, kept for {@code /api/history}. Immutable.
 *
 * @param checkedAt      when; not null
 * @param containerName  which container; not null
 * @param image          the image reference it ran, or null when unknown
 * @param currentVersion the tag it ran ({@code 1.25.3-alpine}), or null when unknown
 * @param latestVersion  the tag it may move to ({@code 1.27.1-alpine}), or null
 * @param status         one of the contract's statuses ({@code UP_TO_DATE}, {@code UPDATE_AVAILABLE}, ...)
 * @param error          why the check failed or why the update is blocked, or null
 */
public record CheckRecord(Instant checkedAt, String containerName, String image, String currentVersion,
                          String latestVersion, String status, String error) {
}
