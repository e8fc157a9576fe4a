package dev.docksmith.api;

import java.util.Locale;

/**
 * Where an operation is in its life: {@code QUEUED}, then {@code RUNNING}, then one of the terminal
 * statuses. The lower-case {@link #wire()} name is what the API shows.
 */
public enum OperationStatus {
    /** Waiting for an earlier update of the same stack to end. */
    QUEUED,
    /** Being carried out. */
    RUNNING,
    /** Ended well. */
    COMPLETE,
    /** Ended without doing what was asked; {@link Operation#error()} says why. */
    FAILED,
    /** An update that failed after the change was made, and was put back as it was. */
    ROLLED_BACK;

    /**
     * The name used in JSON and query filters.
     *
     * @return the lower-case name: {@code complete}, {@code rolled_back}, ...
     */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Whether the operation has ended and will not change any more.
     *
     * @return true for {@code COMPLETE}, {@code FAILED} and {@code ROLLED_BACK}
     */
    public boolean terminal() {
        return this == COMPLETE || this == FAILED || this == ROLLED_BACK;
    }

    /**
     * Parses a wire name.
     *
     * @param text a lower-case name as {@link #wire()} gives it
     * @return the status
     * @throws BadRequestException naming the text and the accepted names, for anything else
     */
    public static OperationStatus fromWire(String text) {
        for (OperationStatus s : values()) {
            if (s.wire().equals(text)) {
                return s;
            }
        }
        throw new BadRequestException("unknown operation status '" + text + "' (expected one of queued, running, complete, failed, rolled_back)");
    }
}
