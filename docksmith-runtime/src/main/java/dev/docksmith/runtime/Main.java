package dev.docksmith.runtime;

import dev.docksmith.runtime.config.ConfigException;
import dev.docksmith.runtime.config.ConfigLoader;
import dev.docksmith.runtime.config.DocksmithConfig;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/** {@code java -jar docksmith.jar [options]}: configure, start, and stop cleanly on SIGTERM or Ctrl-C. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (System.getProperty("java.util.logging.manager") == null) {
            System.setProperty("java.util.logging.manager", ShutdownSafeLogManager.class.getName());
        }
        // One line per log record, with the time, level and logger: readable in a terminal and in journald,
        // and control characters from clients, the engine or files escaped, so none can forge a line.
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format", LogLineFormatter.DEFAULT_FORMAT);
        }
        LogLineFormatter.install();
        List<String> arguments = Arrays.asList(args);
        if (arguments.contains("--help") || arguments.contains("-h")) {
            System.out.print(ConfigLoader.help());
            return;
        }
        if (arguments.contains("--version")) {
            System.out.println("docksmith " + Docksmith.version());
            return;
        }
        DocksmithConfig config;
        try {
            config = ConfigLoader.load(System.getenv(), arguments);
        } catch (ConfigException e) {
            System.err.println("docksmith: " + e.getMessage());
            System.exit(2);
            return;
        }
        Docksmith docksmith = Docksmith.builder().config(config).build();
        // The hook is in place before start(): the API answers while start-up is still finishing
        // (the store opens beside it), and a SIGTERM in that window must still stop cleanly. The
        // hook's close() waits for start() to return, then stops.
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            docksmith.close();
            ShutdownSafeLogManager.resetNow();
            stopped.countDown();
        }, "docksmith-shutdown"));
        try {
            docksmith.start();
        } catch (RuntimeException e) {
            System.err.println("docksmith: cannot start: " + e.getMessage());
            System.exit(1);
            return;
        }
        stopped.await();
    }
}
