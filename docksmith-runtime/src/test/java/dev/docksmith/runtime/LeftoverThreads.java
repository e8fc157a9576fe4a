package dev.docksmith.runtime;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Checks that an embedded Docksmith gave back every thread it started. */
public final class LeftoverThreads {
    private final Set<Thread> before;

    private LeftoverThreads(Set<Thread> before) {
        this.before = before;
    }

    /** Remembers the threads alive now; take it before building the Docksmith under test. */
    public static LeftoverThreads snapshot() {
        return new LeftoverThreads(Thread.getAllStackTraces().keySet());
    }

    /** Fails naming the threads started since the snapshot that are still alive after a short wait. */
    public void assertNoneLeft() throws InterruptedException {
        assertNoneLeftWithin(Duration.ofSeconds(5));
    }

    /** As {@link #assertNoneLeft()}, waiting at most {@code wait}: threads end a moment after they are told to. */
    public void assertNoneLeftWithin(Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        List<String> left = leftBehind();
        while (!left.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
            left = leftBehind();
        }
        assertEquals(List.of(), left, "threads Docksmith started and left running");
    }

    /** New threads that are Docksmith's (named docksmith-*) or would keep a JVM alive (not daemon). */
    private List<String> leftBehind() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> !before.contains(t) && t.isAlive())
                .filter(t -> t.getName().startsWith("docksmith") || !t.isDaemon())
                .map(t -> t.getName() + (t.isDaemon() ? " (daemon)" : ""))
                .sorted().toList();
    }
}
