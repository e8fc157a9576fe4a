package dev.docksmith.runtime.check;

import dev.docksmith.runtime.version.TagVersion;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * What checking one container found, in the contract's shape ({@link #toMap()}).
 *
 * @param name           container name
 * @param id             container id
 * @param stack          compose project, or null
 * @param service        compose service, or null
 * @param image          the image reference it runs, as the engine reports it
 * @param currentVersion the tag it runs, exactly as the registry spells it ({@code 1.25.3-alpine}, {@code v2.10.0},
 *                       {@code latest}); the digest when it runs one by digest
 * @param latestVersion  the tag to move to, exactly as the registry spells it ({@code 1.27.1-alpine}), so that a
 *                       client sending it back as {@code POST /api/update}'s {@code version} gets that very image;
 *                       equal to {@code currentVersion} when there is nothing newer, and the floating tag itself
 *                       when the update pulls that tag again (its digest moved)
 * @param latestTag      the tag an update without a version moves to, or null when there is none
 * @param status         the status
 * @param changeType     patch, minor, major, downgrade or unknown; null when nothing changes
 * @param recommendedTag for {@code UP_TO_DATE_PINNABLE}: the version tag with the running digest
 * @param composeImage   for {@code COMPOSE_MISMATCH}: the image the compose file declares
 * @param error          for {@code ERROR} and {@code COMPOSE_MISMATCH}: what happened
 * @param blockedReason  for {@code UPDATE_AVAILABLE_BLOCKED}: why the pre-update check refused
 * @param labels         the container's {@code docksmith.*} labels
 * @param checkedAt      when
 */
public record CheckResult(String name, String id, String stack, String service, String image, String currentVersion,
                          String latestVersion, String latestTag, Status status, String changeType, String recommendedTag,
                          String composeImage, String error, String blockedReason, Map<String, String> labels,
                          Instant checkedAt) {

    public CheckResult {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }

    public boolean updateAvailable() {
        return status.updateAvailable();
    }

    /** The parsed version of {@link #currentVersion} ({@code 1.25.3} for {@code 1.25.3-alpine}); null when the tag is no version. */
    public String currentVersionParsed() {
        return parsed(currentVersion);
    }

    /** The parsed version of {@link #latestVersion}; null when the tag is no version. For display: it is not a tag. */
    public String latestVersionParsed() {
        return parsed(latestVersion);
    }

    private static String parsed(String tag) {
        return TagVersion.parse(tag).map(TagVersion::version).orElse(null);
    }

    /** The contract's JSON shape; optional fields appear only when they apply. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("id", id);
        m.put("stack", stack);
        m.put("service", service);
        m.put("image", image);
        m.put("current_version", currentVersion);
        m.put("latest_version", latestVersion);
        m.put("latest_tag", latestTag);
        // For display only, under names that say they are no tags: a client must send latest_version back.
        if (currentVersionParsed() != null) {
            m.put("current_version_parsed", currentVersionParsed());
        }
        if (latestVersionParsed() != null) {
            m.put("latest_version_parsed", latestVersionParsed());
        }
        m.put("status", status.name());
        m.put("update_available", updateAvailable());
        m.put("change_type", changeType);
        if (recommendedTag != null) {
            m.put("recommended_tag", recommendedTag);
        }
        if (composeImage != null) {
            m.put("compose_image", composeImage);
        }
        if (error != null) {
            m.put("error", error);
        }
        if (blockedReason != null) {
            m.put("blocked_reason", blockedReason);
        }
        m.put("labels", new TreeMap<>(labels));
        m.put("checked_at", checkedAt.toString());
        return m;
    }
}
