package dev.docksmith.runtime.stack;

import java.util.Map;

/** Receives each step of a restart, besides the {@code restart.progress} events on the bus. */
@FunctionalInterface
public interface RestartProgress {
    RestartProgress NONE = payload -> {
    };

    /** One {@code restart.progress} payload: operation_id, container, stage, progress, message. */
    void report(Map<String, Object> payload);
}
