package dev.docksmith.api;

/**
 * The request conflicts with the current state (an image still in use, a name already taken, an
 * operation already running). Nothing was changed; the HTTP API answers 409.
 */
public class ConflictException extends DocksmithException {
    /**
     * A conflict with the current state.
     *
     * @param message what was being done and what it conflicts with
     */
    public ConflictException(String message) {
        super(message);
    }
}
