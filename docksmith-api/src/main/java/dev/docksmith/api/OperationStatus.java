package dev.docksmith.api;

import java.util.Locale;

/** Where an operation is in its life. The lower-case {@link #wire()} name is what the API shows. */
public enum OperationStatus {
    QUEUED, RUNNING, COMPLETE, FAILED, ROLLED_BACK;

    /** The name used in JSON and query filters: {@code complete}, {@code rolled_back}. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** True once the operation will not change any more. */
    public boolean terminal() {
        return this == COMPLETE || this == FAILED || this == ROLLED_BACK;
    }

    /** Parses a wire name; {@link BadRequestException} for anything else. */
    public static OperationStatus fromWire(String text) {
        for (OperationStatus s : values()) {
            if (s.wire().equals(text)) {
                return s;
            }
        }
        throw new BadRequestException("unknown operation status '" + text + "' (expected one of queued, running, complete, failed, rolled_back)");
    }
}
