package dev.docksmith.runtime;

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
        List<String> left = List.of();
        for (int i = 0; i < 50; i++) { // threads end a moment after they are told to
            left = leftBehind();
            if (left.isEmpty()) {
                return;
            }
            Thread.sleep(100);
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
