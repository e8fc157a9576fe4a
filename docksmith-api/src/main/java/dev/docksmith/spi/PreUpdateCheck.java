package dev.docksmith.spi;

import dev.docksmith.api.UpdateCandidate;
import dev.docksmith.api.Verdict;

import java.util.List;

/**
 * Decides whether a container may be updated now (a script, a health probe, a maintenance window).
 * A container names its check with the {@code docksmith.pre-update-check} label or an assignment
 * made through {@code POST /api/scripts/assign}; a container that names none is not checked.
 *
 * <p>Several pre-update check plugins may be installed. For a reference the runtime asks each, in
 * discovery order, to {@link #resolve} it; the first that answers runs it. A plugin therefore throws
 * {@link dev.docksmith.api.NotFoundException} for every reference it does not recognise, so that the
 * next plugin is asked. Thread-safe: checks of many containers run at once.
 */
public interface PreUpdateCheck extends Plugin {
    /**
     * The checks a user may assign, as they are named in labels and assignments; listed by
     * {@code GET /api/scripts}. Quick and free of side effects.
     *
     * @return the names, never null
     */
    List<String> available();

    /**
     * The canonical name of a check a user refers to ({@code check.sh} or an absolute path to it).
     * The runtime stores this name in an assignment and resolves it again before each run, so
     * resolving a canonical name gives the same name back.
     *
     * @param reference what a label or assignment says; not null
     * @return the canonical name, never null
     * @throws dev.docksmith.api.NotFoundException   when this plugin has no such check (another plugin
     *                                               is then asked)
     * @throws dev.docksmith.api.BadRequestException when the reference is this plugin's kind but points
     *                                               outside what it may run; assigning it is refused
     *                                               with 400 and an update that names it is blocked
     */
    String resolve(String reference);

    /**
     * Runs one check. Called before each update (unless the update is forced), and by every check
     * that finds an update for the container, which then shows {@code blocked_reason}; so it must be
     * safe to run often and should answer within seconds.
     *
     * <p>Never throws for a failing check, only answers {@link Verdict#block}: a check that fails,
     * crashes, times out or has disappeared since it was resolved blocks, saying why. An exception
     * counts as a failure of the check or update that called it, not as a verdict.
     *
     * @param check     a name {@link #resolve} returned
     * @param candidate the container and the version it would move to
     * @return the verdict, never null
     */
    Verdict run(String check, UpdateCandidate candidate);
}
