package dev.docksmith.scripts;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs one executable directly (it is argv[0]; no shell ever parses anything), with a given
 * environment only, stdin closed, stdout and stderr captured into a bounded tail, and a time limit
 * after which the process and everything it started are killed.
 */
final class ScriptRunner {
    /** Output kept per run; the reason needs only the end of it. */
    static final int OUTPUT_LIMIT = 64 * 1024;
    /** Lines of output kept for the verdict. */
    static final int REASON_LINES = 5;
    /** After exit, a background child may still hold the pipe open; do not wait for it longer than this. */
    private static final long DRAIN_GRACE_MS = 1000;

    private final Duration timeout;

    ScriptRunner(Duration timeout) {
        if (timeout.isZero() || timeout.isNegative()) {
            throw new IllegalArgumentException("a script timeout must be more than 0");
        }
        this.timeout = timeout;
    }

    Duration timeout() {
        return timeout;
    }

    ScriptResult run(Path executable, Path workingDir, Map<String, String> environment) {
        long started = System.nanoTime();
        ProcessBuilder builder = new ProcessBuilder(executable.toString())
                .directory(workingDir.toFile())
                .redirectErrorStream(true);
        // Only what the contract names: Docksmith's own secrets (API token, registry tokens) stay out.
        builder.environment().clear();
        builder.environment().putAll(environment);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            return new ScriptResult(ScriptResult.Outcome.NOT_STARTED, -1, List.of(), since(started), e.getMessage());
        }
        try {
            process.getOutputStream().close(); // stdin at EOF: a script waiting for input cannot hang
        } catch (IOException ignored) {
            // already closed by an exiting process
        }
        OutputTail tail = new OutputTail(OUTPUT_LIMIT);
        Thread reader = new Thread(() -> tail.drain(process.getInputStream()), "docksmith-script-output");
        reader.setDaemon(true);
        reader.start();
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                killTree(process);
                process.waitFor(5, TimeUnit.SECONDS);
                reader.join(DRAIN_GRACE_MS);
                return new ScriptResult(ScriptResult.Outcome.TIMED_OUT, -1, tail.lastLines(REASON_LINES), since(started), null);
            }
            reader.join(DRAIN_GRACE_MS);
            return new ScriptResult(ScriptResult.Outcome.EXITED, process.exitValue(), tail.lastLines(REASON_LINES), since(started), null);
        } catch (InterruptedException e) {
            killTree(process);
            Thread.currentThread().interrupt();
            return new ScriptResult(ScriptResult.Outcome.INTERRUPTED, -1, tail.lastLines(REASON_LINES), since(started), null);
        }
    }

    /**
     * Kills the script and its descendants. The tree is listed while the script is still alive:
     * once it dies its children are re-parented and can no longer be found from it.
     */
    private static void killTree(Process process) {
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroyForcibly();
        descendants.forEach(ProcessHandle::destroyForcibly);
    }

    private static Duration since(long startedNanos) {
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }
}
