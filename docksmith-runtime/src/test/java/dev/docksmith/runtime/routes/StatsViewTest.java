package dev.docksmith.runtime.routes;

import dev.docksmith.runtime.json.Json;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The stats route's computed fields from fixed engine samples, shaped like dockerd 20.10's
 * {@code /containers/{id}/stats?stream=false} on a cgroup v1 and a cgroup v2 host. Expected values are
 * worked out by hand the way {@code docker stats} computes them.
 */
class StatsViewTest {

    /** cgroup v1: memory.stat keys with their hierarchical {@code total_} twins, block io ops capitalised. */
    private static final String CGROUP_V1 = """
            {"read": "2024-01-15T10:30:01Z", "preread": "2024-01-15T10:30:00Z",
             "pids_stats": {"current": 5},
             "blkio_stats": {"io_service_bytes_recursive": [
                 {"major": 8, "minor": 0, "op": "Read", "value": 4096},
                 {"major": 8, "minor": 0, "op": "Write", "value": 8192},
                 {"major": 8, "minor": 0, "op": "Sync", "value": 12288},
                 {"major": 8, "minor": 0, "op": "Async", "value": 0},
                 {"major": 8, "minor": 0, "op": "Total", "value": 12288},
                 {"major": 8, "minor": 16, "op": "Read", "value": 1024},
                 {"major": 8, "minor": 16, "op": "Write", "value": 0}]},
             "cpu_stats": {"cpu_usage": {"total_usage": 323456789, "percpu_usage": [200000000, 123456789]},
                           "system_cpu_usage": 7002000000000, "online_cpus": 2},
             "precpu_stats": {"cpu_usage": {"total_usage": 200000000, "percpu_usage": [100000000, 100000000]},
                              "system_cpu_usage": 7000000000000, "online_cpus": 2},
             "memory_stats": {"usage": 104857600, "max_usage": 209715200, "limit": 1073741824,
                              "stats": {"cache": 41943040, "total_cache": 41943040,
                                        "inactive_file": 20971520, "total_inactive_file": 31457280,
                                        "active_file": 10485760, "total_active_file": 10485760,
                                        "rss": 52428800, "total_rss": 52428800}},
             "networks": {"eth0": {"rx_bytes": 1000, "tx_bytes": 2000, "rx_packets": 10, "tx_packets": 20},
                          "eth1": {"rx_bytes": 24, "tx_bytes": 48, "rx_packets": 1, "tx_packets": 1}}}
            """;

    /** cgroup v2: no {@code cache} or {@code total_} keys, no per-cpu usage, block io ops in lower case. */
    private static final String CGROUP_V2 = """
            {"read": "2024-01-15T10:30:01Z", "preread": "2024-01-15T10:30:00Z",
             "pids_stats": {"current": 3, "limit": 4096},
             "blkio_stats": {"io_service_bytes_recursive": [
                 {"major": 259, "minor": 0, "op": "read", "value": 100},
                 {"major": 259, "minor": 0, "op": "write", "value": 200},
                 {"major": 253, "minor": 1, "op": "read", "value": 1},
                 {"major": 253, "minor": 1, "op": "write", "value": 2}]},
             "cpu_stats": {"cpu_usage": {"total_usage": 83333333}, "system_cpu_usage": 9004000000000, "online_cpus": 4},
             "precpu_stats": {"cpu_usage": {"total_usage": 50000000}, "system_cpu_usage": 9000000000000, "online_cpus": 4},
             "memory_stats": {"usage": 62914560, "limit": 1073741824,
                              "stats": {"anon": 41943040, "file": 20971520, "active_file": 10485760,
                                        "inactive_file": 10485760, "kernel_stack": 16384}},
             "networks": {"eth0": {"rx_bytes": 1048576, "tx_bytes": 524288}}}
            """;

    @Test
    void cgroupV1LeavesOutTheInactivePageCacheOfTheWholeHierarchy() {
        Map<String, Object> view = view(CGROUP_V1);
        // cpu: 123456789 ns of 2000000000 ns system time, times 2 cpus = 12.345...%
        assertEquals(12.35, view.get("cpu_percent"));
        // docker stats (20.10+): usage - total_inactive_file = 100 MiB - 30 MiB; not "cache" (40 MiB),
        // which also holds active pages, nor the cgroup's own inactive_file (20 MiB)
        assertEquals(73400320L, view.get("memory_usage"));
        assertEquals(1073741824L, view.get("memory_limit"));
        assertEquals(6.84, view.get("memory_percent")); // 70 MiB of 1 GiB = 6.8359375%
        assertEquals(1024L, view.get("network_rx"));
        assertEquals(2048L, view.get("network_tx"));
        // Read and Write of both devices; Sync, Async and Total count the same bytes again
        assertEquals(5120L, view.get("block_read"));
        assertEquals(8192L, view.get("block_write"));
        assertEquals(5L, view.get("pids"));
    }

    @Test
    void cgroupV2LeavesOutInactiveFile() {
        Map<String, Object> view = view(CGROUP_V2);
        // cpu: 33333333 ns of 4000000000 ns system time, times 4 cpus = 3.333...%
        assertEquals(3.33, view.get("cpu_percent"));
        // the seed's example: 60 MiB - 10 MiB inactive file = 52428800, 4.88% of 1 GiB
        assertEquals(52428800L, view.get("memory_usage"));
        assertEquals(1073741824L, view.get("memory_limit"));
        assertEquals(4.88, view.get("memory_percent"));
        assertEquals(1048576L, view.get("network_rx"));
        assertEquals(524288L, view.get("network_tx"));
        assertEquals(101L, view.get("block_read"));
        assertEquals(202L, view.get("block_write"));
        assertEquals(3L, view.get("pids"));
    }

    @Test
    void cpuCountFallsBackToPerCpuUsageAndMissingSamplesAreZero() {
        // Engines before API 1.27 send no online_cpus: the per-cpu list says how many there are.
        Map<String, Object> v1 = view(CGROUP_V1.replace("\"online_cpus\": 2", "\"online_cpus\": 0"));
        assertEquals(12.35, v1.get("cpu_percent"));
        // A stopped container: no previous sample, no limit, no networks.
        Map<String, Object> stopped = view("""
                {"cpu_stats": {"cpu_usage": {"total_usage": 0}}, "precpu_stats": {"cpu_usage": {}},
                 "memory_stats": {}, "blkio_stats": {}, "pids_stats": {}}
                """);
        assertEquals(0.0, stopped.get("cpu_percent"));
        assertEquals(0L, stopped.get("memory_usage"));
        assertEquals(0.0, stopped.get("memory_percent"));
        assertEquals(0L, stopped.get("network_rx"));
        assertEquals(0L, stopped.get("block_write"));
    }

    @Test
    void cacheNotBelowUsageIsNotSubtracted() {
        // As docker stats: an inactive-file figure at or above the usage (sampled at another moment)
        // says nothing about this usage, which is then shown whole rather than as 0.
        Map<String, Object> view = view("""
                {"memory_stats": {"usage": 4096, "limit": 8192, "stats": {"inactive_file": 8192}}}
                """);
        assertEquals(4096L, view.get("memory_usage"));
        assertEquals(50.0, view.get("memory_percent"));
    }

    private static Map<String, Object> view(String sample) {
        return StatsView.of(Json.parse(sample.getBytes(StandardCharsets.UTF_8)));
    }
}
