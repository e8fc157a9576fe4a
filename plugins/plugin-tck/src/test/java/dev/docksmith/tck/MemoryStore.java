package dev.docksmith.tck;

import dev.docksmith.api.CheckRecord;
import dev.docksmith.api.HistoryQuery;
import dev.docksmith.api.Operation;
import dev.docksmith.api.OperationQuery;
import dev.docksmith.spi.KeyValue;
import dev.docksmith.spi.Store;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A store that keeps the contract, kept in memory per directory so that closing and reopening on the
 * same directory finds everything again, as a store on disk would.
 */
class MemoryStore implements Store {
    /** What each directory "holds on disk". */
    private static final Map<Path, Disk> DISKS = new ConcurrentHashMap<>();

    static final class Disk {
        final Map<String, Operation> operations = new LinkedHashMap<>();
        final List<CheckRecord> checks = new ArrayList<>();
        final Map<String, TreeMap<String, String>> settings = new HashMap<>();
    }

    protected final Disk disk;

    MemoryStore(Path dir) {
        disk = DISKS.computeIfAbsent(dir.toAbsolutePath(), d -> new Disk());
    }

    @Override
    public void save(Operation operation) {
        synchronized (disk) {
            disk.operations.put(operation.id(), operation);
        }
    }

    @Override
    public Optional<Operation> operation(String id) {
        synchronized (disk) {
            return Optional.ofNullable(disk.operations.get(id));
        }
    }

    @Override
    public List<Operation> operations(OperationQuery query) {
        synchronized (disk) {
            return disk.operations.values().stream().filter(query::matches)
                    .sorted(Comparator.comparing(Operation::startedAt).reversed()).limit(query.limit()).toList();
        }
    }

    @Override
    public void saveCheck(CheckRecord record) {
        synchronized (disk) {
            disk.checks.add(record);
        }
    }

    @Override
    public List<CheckRecord> checks(HistoryQuery query) {
        synchronized (disk) {
            return disk.checks.stream().filter(query::matches)
                    .sorted(Comparator.comparing(CheckRecord::checkedAt).reversed()).limit(query.limit()).toList();
        }
    }

    @Override
    public KeyValue settings() {
        return new KeyValue() {
            @Override
            public Optional<String> get(String namespace, String key) {
                synchronized (disk) {
                    return Optional.ofNullable(disk.settings.getOrDefault(namespace, new TreeMap<>()).get(key));
                }
            }

            @Override
            public void put(String namespace, String key, String value) {
                synchronized (disk) {
                    disk.settings.computeIfAbsent(namespace, n -> new TreeMap<>()).put(key, value);
                }
            }

            @Override
            public void delete(String namespace, String key) {
                synchronized (disk) {
                    disk.settings.getOrDefault(namespace, new TreeMap<>()).remove(key);
                }
            }

            @Override
            public List<String> keys(String namespace) {
                synchronized (disk) {
                    return List.copyOf(disk.settings.getOrDefault(namespace, new TreeMap<>()).keySet());
                }
            }
        };
    }

    @Override
    public void close() {
        // nothing to release: the "disk" stays for the next open
    }
}
