package dev.docksmith.runtime.check;

/** The contract's eight check statuses, by their exact names. */
public enum Status {
    UP_TO_DATE, UP_TO_DATE_PINNABLE, UPDATE_AVAILABLE, UPDATE_AVAILABLE_BLOCKED, COMPOSE_MISMATCH, LOCAL_IMAGE, IGNORED, ERROR;

    /** True for the two statuses that offer an update. */
    public boolean updateAvailable() {
        return this == UPDATE_AVAILABLE || this == UPDATE_AVAILABLE_BLOCKED;
    }
}
