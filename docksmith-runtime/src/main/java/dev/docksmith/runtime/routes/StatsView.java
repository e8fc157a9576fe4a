package dev.docksmith.runtime.routes;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The contract's computed stats from the engine's raw sample, the way {@code docker stats} computes
 * them: CPU from the delta between the two samples the engine includes, memory without the page
 * cache that can be dropped, network and block io summed over interfaces and devices.
 */
final class StatsView {
    private StatsView() {
    }

    static Map<String, Object> of(JsonNode s) {
        JsonNode cpu = s.path("cpu_stats");
        JsonNode pre = s.path("precpu_stats");
        double cpuDelta = cpu.path("cpu_usage").path("total_usage").asDouble() - pre.path("cpu_usage").path("total_usage").asDouble();
        double systemDelta = cpu.path("system_cpu_usage").asDouble() - pre.path("system_cpu_usage").asDouble();
        int cpus = cpu.path("online_cpus").asInt(0);
        if (cpus == 0) {
            cpus = Math.max(1, cpu.path("cpu_usage").path("percpu_usage").size());
        }
        double cpuPercent = cpuDelta > 0 && systemDelta > 0 ? cpuDelta / systemDelta * cpus * 100.0 : 0.0;

        JsonNode mem = s.path("memory_stats");
        long used = withoutPageCache(mem.path("usage").asLong(), mem.path("stats"));
        long limit = mem.path("limit").asLong();

        long rx = 0;
        long tx = 0;
        for (JsonNode n : s.path("networks")) {
            rx += n.path("rx_bytes").asLong();
            tx += n.path("tx_bytes").asLong();
        }
        long blockRead = 0;
        long blockWrite = 0;
        for (JsonNode b : s.path("blkio_stats").path("io_service_bytes_recursive")) {
            String op = b.path("op").asText().toLowerCase(Locale.ROOT);
            if (op.equals("read")) {
                blockRead += b.path("value").asLong();
            } else if (op.equals("write")) {
                blockWrite += b.path("value").asLong();
            }
        }

        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cpu_percent", round2(cpuPercent));
        m.put("memory_usage", used);
        m.put("memory_limit", limit);
        m.put("memory_percent", limit > 0 ? round2(used * 100.0 / limit) : 0.0);
        m.put("network_rx", rx);
        m.put("network_tx", tx);
        m.put("block_read", blockRead);
        m.put("block_write", blockWrite);
        m.put("pids", s.path("pids_stats").path("current").asLong());
        return m;
    }

    /**
     * Memory in use less the page cache the kernel can drop, as {@code docker stats} has shown it since
     * 20.10: cgroup v1 subtracts {@code total_inactive_file} (only v1 has {@code total_} keys; the
     * whole hierarchy's, not just the cgroup's own {@code inactive_file}), v2 {@code inactive_file}.
     * Not {@code cache}, as docker did up to 19.03: that also counts active pages and shared memory,
     * so it understated the usage. A figure not below the usage is ignored rather than making it 0.
     */
    private static long withoutPageCache(long usage, JsonNode stats) {
        long v1 = stats.path("total_inactive_file").asLong();
        if (stats.has("total_inactive_file") && v1 < usage) {
            return usage - v1;
        }
        long v2 = stats.path("inactive_file").asLong();
        return v2 < usage ? usage - v2 : usage;
    }

    private static double round2(double v) {
        return Math.round(v * 100.0) / 100.0;
    }
}
