package dev.docksmith.runtime.check;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One whole check.
 *
 * @param results    one per container, in the engine's order
 * @param startedAt  when it began
 * @param finishedAt when it ended
 * @param fresh      true when cached registry answers were dropped first
 */
public record CheckReport(List<CheckResult> results, Instant startedAt, Instant finishedAt, boolean fresh) {
    public CheckReport {
        results = List.copyOf(results);
    }

    public long updatesAvailable() {
        return results.stream().filter(CheckResult::updateAvailable).count();
    }

    /** The contract's shape for {@code GET /api/check}. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("containers", results.stream().map(CheckResult::toMap).toList());
        m.put("total", results.size());
        m.put("updates_available", updatesAvailable());
        m.put("checked_at", finishedAt.toString());
        m.put("duration_ms", Duration.between(startedAt, finishedAt).toMillis());
        return m;
    }
}
