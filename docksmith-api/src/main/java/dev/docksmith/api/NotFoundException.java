package dev.docksmith.api;

/**
 * A container, image, network, volume, operation, repository or other named thing does not exist.
 * The HTTP API answers 404. SPIs use it for "not there" answers that are not failures (a registry
 * repository that does not exist, a pre-update check a plugin does not have).
 */
public class NotFoundException extends DocksmithException {
    /**
     * Something named does not exist.
     *
     * @param message what was looked for, naming it
     */
    public NotFoundException(String message) {
        super(message);
    }
}
