package dev.docksmith.runtime.operations;

import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Makes ids in the contract's shape, {@code op_} and a UTC timestamp ({@code op_20240115103023451_00}),
 * unique within a process even when several operations start in the same millisecond.
 */
public final class OperationIds {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMddHHmmssSSS").withZone(ZoneOffset.UTC);

    private final Clock clock;
    private String lastStamp = "";
    private int sequence;

    public OperationIds(Clock clock) {
        this.clock = clock;
    }

    public synchronized String next() {
        String stamp = STAMP.format(clock.instant());
        if (stamp.equals(lastStamp)) {
            sequence++;
        } else {
            lastStamp = stamp;
            sequence = 0;
        }
        return String.format("op_%s%02d", stamp, sequence % 100);
    }
}
