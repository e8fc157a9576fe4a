package dev.docksmith.strategy.compose;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Compose commands that a killed Docksmith started and that outlived it. A SIGKILL ends the JVM, not
 * the {@code docker compose up} it was waiting for, so a repair at the next start-up first lets such
 * a command finish (it was already half done) instead of racing it over the same containers.
 */
class OrphanedCommands {
    private static final System.Logger LOG = System.getLogger(OrphanedCommands.class.getName());

    /**
     * Waits (up to {@code timeout}) for every running {@code pull} or {@code up} of this project's
     * service; says what it waited for, as the start of a sentence, or nothing.
     */
    String awaitGone(ComposeInvocation compose, Duration timeout) {
        List<ProcessHandle> found = ProcessHandle.allProcesses()
                .filter(p -> p.pid() != ProcessHandle.current().pid())
                .filter(p -> matches(arguments(p), compose.project(), compose.service()))
                .toList();
        if (found.isEmpty()) {
            return "";
        }
        long started = System.nanoTime();
        for (ProcessHandle p : found) {
            LOG.log(System.Logger.Level.WARNING, "waiting for compose command {0} left by the previous run: {1}", p.pid(),
                    p.info().commandLine().orElse("?"));
            long left = timeout.toNanos() - (System.nanoTime() - started);
            try {
                p.onExit().get(Math.max(left, 0), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                return "a compose command left by the previous run (pid " + p.pid() + ") was still running after "
                        + timeout.toSeconds() + "s; ";
            } catch (ExecutionException e) {
                // it ended one way or another
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "";
            }
        }
        return "waited " + Duration.ofNanos(System.nanoTime() - started).toMillis() + " ms for " + found.size()
                + " compose command(s) left by the previous run; ";
    }

    /** {@code ... -p <project> ... up|pull ... <service>}: as {@link ComposeInvocation} writes them, v1 or v2. */
    static boolean matches(List<String> args, String project, String service) {
        int p = args.indexOf("-p");
        return p >= 0 && p + 1 < args.size() && args.get(p + 1).equals(project)
                && (args.contains("up") || args.contains("pull"))
                && args.get(args.size() - 1).equals(service);
    }

    private static List<String> arguments(ProcessHandle p) {
        return p.info().arguments().map(Arrays::asList).orElse(List.of());
    }
}
