package dev.docksmith.runtime.api;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The contract's computed stats from the engine's raw sample, the way {@code docker stats} computes
 * them: CPU from the delta between the two samples the engine includes, memory without page cache.
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
        long usage = mem.path("usage").asLong();
        // cgroup v1 reports page cache as "cache", v2 as "inactive_file"; docker stats subtracts it too.
        long cache = mem.path("stats").has("inactive_file") ? mem.path("stats").path("inactive_file").asLong()
                : mem.path("stats").path("cache").asLong();
        long used = Math.max(0, usage - cache);
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
            String op = b.path("op").asText().toLowerCase(java.util.Locale.ROOT);
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

    private static double round2(double v) {
        return Math.round(v * 100.0) / 100.0;
    }
}
