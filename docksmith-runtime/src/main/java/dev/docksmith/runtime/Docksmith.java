package dev.docksmith.runtime;

import com.sun.net.httpserver.HttpServer;
import dev.docksmith.api.Event;
import dev.docksmith.api.Operation;
import dev.docksmith.api.OperationQuery;
import dev.docksmith.runtime.check.CheckReport;
import dev.docksmith.runtime.check.CheckResult;
import dev.docksmith.runtime.update.Updater;
import dev.docksmith.runtime.config.DocksmithConfig;
import dev.docksmith.runtime.docker.DockerClient;
import dev.docksmith.runtime.events.EventBus;
import dev.docksmith.spi.Plugin;
import dev.docksmith.spi.Store;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * One Docksmith instance: the engine client, the store, the plugins, the event bus and the HTTP API.
 * {@code Main} builds one from the command line; a host application builds one in code with
 * {@link #builder()}. {@link #start()}, {@link #stop()} and {@link #close()} may be called in any
 * order and any number of times.
 */
public final class Docksmith implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Docksmith.class.getName());

    /** What to build on start; holds everything the builder was given. */
    private final RuntimeAssembly assembly;
    /** True when the API is mounted on the host application's server, whose port is not ours to report. */
    private final boolean mountedOnHost;

    private State state = State.NEW;
    /**
     * Written under the lock by start() and stop(); read without it by the in-process calls, which
     * must not wait behind a slow stop() and may run on any of the host's threads: hence volatile.
     */
    private volatile Running running;

    private enum State { NEW, STARTED, STOPPED }

    private Docksmith(Builder b) {
        this.assembly = new RuntimeAssembly(b.config, b.clock, b.classLoader, b.discoverPlugins, List.copyOf(b.plugins), b.store,
                List.copyOf(b.listeners), b.hostServer, b.mountPrefix, b.http, b.executor);
        this.mountedOnHost = b.hostServer != null;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The implementation version from the jar manifest, or {@code dev} when run from classes. */
    public static String version() {
        return BuildVersion.get();
    }

    /**
     * Opens the store, loads plugins, connects the engine client and starts serving. The engine
     * need not be up: Docksmith starts anyway, reports the outage, and recovers when it appears.
     */
    public synchronized Docksmith start() {
        if (state == State.STARTED) {
            return this;
        }
        if (state == State.STOPPED) {
            throw new IllegalStateException("a stopped Docksmith cannot be started again; build a new one");
        }
        List<AutoCloseable> opened = new ArrayList<>();
        try {
            running = assembly.assemble(opened);
            state = State.STARTED;
            return this;
        } catch (RuntimeException | Error e) {
            // Whatever stopped the start, close what it had opened: a host that catches the failure
            // (even an Error) and carries on must not keep our threads.
            closeAll(opened);
            state = State.STOPPED;
            throw e;
        }
    }

    /** Stops serving and releases everything; safe to call more than once. */
    public synchronized void stop() {
        if (state != State.STARTED) {
            state = State.STOPPED;
            return;
        }
        state = State.STOPPED;
        Running r = running;
        running = null;
        closeAll(r.resources());
        LOG.log(System.Logger.Level.INFO, "Docksmith stopped");
    }

    @Override
    public void close() {
        stop();
    }

    /** The HTTP port in use (useful with port 0), or -1 when not serving its own server. */
    public synchronized int port() {
        return running == null || running.httpApi() == null || mountedOnHost ? -1 : running.httpApi().port();
    }

    /** The event bus, for host applications that want events in process. */
    public synchronized EventBus events() {
        return requireRunning().events();
    }

    /** The store in use. */
    public synchronized Store store() {
        return requireRunning().store();
    }

    /** The engine client in use. */
    public synchronized DockerClient docker() {
        return requireRunning().docker();
    }

    // ---- The programmatic API: what the HTTP API offers, as plain calls for a host application. ----

    /** Checks every container now, with fresh registry answers (as {@code GET /api/check}). */
    public CheckReport check() {
        return requireRunning().checker().checkAll(true);
    }

    /** Checks one container (name or id) afresh (as {@code GET /api/container/{name}/recheck}). */
    public CheckResult check(String container) {
        return requireRunning().checker().checkOne(container);
    }

    /**
     * Queues an update of {@code container} to {@code version}, or to the newest version its labels
     * allow when {@code version} is null (as {@code POST /api/update}). {@code version} is a tag of the
     * container's repository, as {@link CheckResult#latestVersion()} gives it; a bare version for a container
     * on a variant tag ({@code 1.27.1} for {@code 1.25.3-alpine}) is refused. Bad input throws before
     * anything changes ({@link dev.docksmith.api.NotFoundException},
     * {@link dev.docksmith.api.BadRequestException}); the returned future completes with the final
     * operation record, whatever its status.
     */
    public Updater.Submitted update(String container, String version) {
        return update(container, version, UpdateOptions.DEFAULTS);
    }

    /**
     * As {@link #update(String, String)}, with what {@code POST /api/update} also takes: {@code force}
     * to skip the pre-update check, or another check to run ({@code script}). A script no plugin knows
     * is refused before anything changes.
     */
    public Updater.Submitted update(String container, String version, UpdateOptions options) {
        Objects.requireNonNull(options, "options");
        Running r = requireRunning();
        return r.updater().submit(r.updateRequests().update(container, version, options.script(), options.force()));
    }

    /** Rolls back a completed update (as {@code POST /api/rollback}). */
    public Updater.Submitted rollback(String operationId) {
        Running r = requireRunning();
        return r.updater().submit(r.updateRequests().rollback(operationId));
    }

    /** One recorded operation. */
    public Optional<Operation> operation(String id) {
        return requireRunning().store().operation(id);
    }

    /** Recorded operations, newest first (as {@code GET /api/operations}). */
    public List<Operation> operations(OperationQuery query) {
        return requireRunning().store().operations(query);
    }

    /** Receives every event from now on, off the publisher's thread; close the handle to stop. */
    public AutoCloseable onEvent(Consumer<Event> listener) {
        return requireRunning().events().addListener(listener);
    }

    private Running requireRunning() {
        Running r = running; // read once: stop() may clear it between a check and a use
        if (r == null) {
            throw new IllegalStateException("Docksmith is not started");
        }
        return r;
    }

    private static void closeAll(List<AutoCloseable> things) {
        for (int i = things.size() - 1; i >= 0; i--) {
            try {
                things.get(i).close();
            } catch (Exception e) {
                LOG.log(System.Logger.Level.WARNING, "while stopping: {0}", e.toString());
            }
        }
    }

    /** Builds a {@link Docksmith}. Everything is optional; defaults are those of the fat jar. */
    public static final class Builder {
        private DocksmithConfig config = DocksmithConfig.defaults();
        private Clock clock = Clock.systemUTC();
        private ClassLoader classLoader = Docksmith.class.getClassLoader();
        private boolean discoverPlugins = true;
        private final List<Plugin> plugins = new ArrayList<>();
        private Store store;
        private final List<Consumer<Event>> listeners = new ArrayList<>();
        private HttpServer hostServer;
        private String mountPrefix = "";
        private boolean http = true;
        private Executor executor;

        private Builder() {
        }

        /** The configuration (defaults otherwise). */
        public Builder config(DocksmithConfig config) {
            this.config = Objects.requireNonNull(config);
            return this;
        }

        /** The clock for operation times (the system UTC clock otherwise). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock);
            return this;
        }

        /** Where ServiceLoader looks for plugins. */
        public Builder classLoader(ClassLoader classLoader) {
            this.classLoader = Objects.requireNonNull(classLoader);
            return this;
        }

        /** Whether to discover plugins with ServiceLoader besides those given (default true). */
        public Builder discoverPlugins(boolean discover) {
            this.discoverPlugins = discover;
            return this;
        }

        /** A plugin instance to use, besides or instead of discovered ones. */
        public Builder plugin(Plugin plugin) {
            plugins.add(Objects.requireNonNull(plugin));
            return this;
        }

        /** A store to use instead of any store plugin; the caller keeps ownership of its data, Docksmith closes it on stop. */
        public Builder store(Store store) {
            this.store = Objects.requireNonNull(store);
            return this;
        }

        /** Receives every event, off the publisher's thread. */
        public Builder eventListener(Consumer<Event> listener) {
            listeners.add(Objects.requireNonNull(listener));
            return this;
        }

        /** Mounts the API on the host application's server under {@code prefix} instead of starting one. */
        public Builder httpServer(HttpServer server, String prefix) {
            this.hostServer = Objects.requireNonNull(server);
            this.mountPrefix = prefix == null ? "" : prefix;
            this.http = true;
            return this;
        }

        /** No HTTP at all: the host application uses Docksmith in process only. */
        public Builder noHttp() {
            this.http = false;
            this.hostServer = null;
            return this;
        }

        /**
         * Runs Docksmith's background work (registry calls, scripts, updates) on the host's executor
         * instead of a pool of its own. It must not bound the number of tasks it runs at once (a
         * virtual-thread-per-task or cached pool): a check waits for tasks it started. Docksmith does
         * not shut it down.
         */
        public Builder executor(Executor executor) {
            this.executor = Objects.requireNonNull(executor);
            return this;
        }

        public Docksmith build() {
            return new Docksmith(this);
        }
    }
}
