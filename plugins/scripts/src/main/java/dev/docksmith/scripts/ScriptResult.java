package dev.docksmith.scripts;

import java.time.Duration;
import java.util.List;

/**
 * How one run of a script ended.
 *
 * @param outcome  whether it exited, ran out of time, or never started
 * @param exitCode its exit code when it {@link Outcome#EXITED}; else -1
 * @param lastLines its last non-blank output lines (stdout and stderr together)
 * @param elapsed  how long it ran
 * @param failure  why it did not start, or null
 */
record ScriptResult(Outcome outcome, int exitCode, List<String> lastLines, Duration elapsed, String failure) {
    enum Outcome { EXITED, TIMED_OUT, NOT_STARTED, INTERRUPTED }

    ScriptResult {
        lastLines = List.copyOf(lastLines);
    }
}
