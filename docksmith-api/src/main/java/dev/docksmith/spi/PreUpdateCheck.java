package dev.docksmith.spi;

import dev.docksmith.api.UpdateCandidate;
import dev.docksmith.api.Verdict;

import java.util.List;

/**
 * Decides whether a container may be updated now (a script, a health probe, a maintenance window).
 * A container names its check with the {@code docksmith.pre-update-check} label or an assignment.
 */
public interface PreUpdateCheck extends Plugin {
    /** The checks a user may assign, as they are named in labels and assignments. */
    List<String> available();

    /**
     * The canonical name of a check a user refers to ({@code check.sh} or an absolute path to it),
     * or {@link dev.docksmith.api.BadRequestException} when the reference points outside what this
     * plugin may run.
     *
     * @throws dev.docksmith.api.NotFoundException when it is allowed but does not exist
     */
    String resolve(String reference);

    /** Runs one check; never throws for a failing check, only answers {@link Verdict#block}. */
    Verdict run(String check, UpdateCandidate candidate);
}
