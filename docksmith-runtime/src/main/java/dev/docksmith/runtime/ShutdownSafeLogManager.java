package dev.docksmith.runtime;

import java.util.logging.LogManager;

/**
 * The JDK's LogManager resets (closes every handler) in its own shutdown hook, which races with ours,
 * so "what happened while stopping" would be lost. This one ignores that reset; Main resets it after
 * Docksmith has stopped. Public with a no-argument constructor because LogManager instantiates it.
 */
public final class ShutdownSafeLogManager extends LogManager {
    private static volatile ShutdownSafeLogManager instance;
    private volatile boolean mayReset;

    public ShutdownSafeLogManager() {
        instance = this;
    }

    @Override
    public void reset() {
        if (mayReset || !shuttingDown()) {
            super.reset();
        }
    }

    /** Resets for real, once Docksmith has logged its last line. */
    static void resetNow() {
        ShutdownSafeLogManager m = instance;
        if (m != null) {
            m.mayReset = true;
            m.reset();
        }
    }

    private static boolean shuttingDown() {
        // Runtime.addShutdownHook throws once shutdown has begun: the one portable way to ask.
        try {
            Thread probe = new Thread(() -> { });
            Runtime.getRuntime().addShutdownHook(probe);
            Runtime.getRuntime().removeShutdownHook(probe);
            return false;
        } catch (IllegalStateException e) {
            return true;
        }
    }
}
