package dev.docksmith.runtime;

import com.sun.net.httpserver.HttpServer;
import dev.docksmith.api.Event;
import dev.docksmith.runtime.config.DocksmithConfig;
import dev.docksmith.runtime.docker.DockerClient;
import dev.docksmith.runtime.events.EventBus;
import dev.docksmith.runtime.http.HttpApi;
import dev.docksmith.spi.Plugin;
import dev.docksmith.spi.Store;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
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
    private Running running;

    private enum State { NEW, STARTED, STOPPED }

    /** Everything that exists only while started; {@code resources} close in reverse order on stop. */
    record Running(DockerClient docker, Store store, EventBus events, HttpApi httpApi, List<AutoCloseable> resources) {
    }

    private Docksmith(Builder b) {
        this.assembly = new RuntimeAssembly(b.config, b.clock, b.classLoader, b.discoverPlugins, List.copyOf(b.plugins), b.store,
                List.copyOf(b.listeners), b.hostServer, b.mountPrefix, b.http);
        this.mountedOnHost = b.hostServer != null;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The implementation version from the jar manifest, or {@code dev} when run from classes. */
    public static String version() {
        String v = Docksmith.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
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
        } catch (RuntimeException e) {
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

    private Running requireRunning() {
        if (running == null) {
            throw new IllegalStateException("Docksmith is not started");
        }
        return running;
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

        public Docksmith build() {
            return new Docksmith(this);
        }
    }
}
