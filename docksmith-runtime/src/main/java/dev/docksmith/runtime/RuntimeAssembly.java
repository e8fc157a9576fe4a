package dev.docksmith.runtime;

import com.sun.net.httpserver.HttpServer;
import dev.docksmith.api.Event;
import dev.docksmith.runtime.routes.CheckRoutes;
import dev.docksmith.runtime.routes.ContainerRoutes;
import dev.docksmith.runtime.routes.EventRoutes;
import dev.docksmith.runtime.routes.HistoryRoutes;
import dev.docksmith.runtime.routes.LabelRoutes;
import dev.docksmith.runtime.routes.PolicyRoutes;
import dev.docksmith.runtime.routes.UpdateRoutes;
import dev.docksmith.runtime.routes.OperationRoutes;
import dev.docksmith.runtime.routes.PruneRoutes;
import dev.docksmith.runtime.routes.ResourceRoutes;
import dev.docksmith.runtime.routes.RestartRoutes;
import dev.docksmith.runtime.routes.ScriptRoutes;
import dev.docksmith.runtime.routes.SystemRoutes;
import dev.docksmith.runtime.check.CheckScheduler;
import dev.docksmith.runtime.check.Checker;
import dev.docksmith.runtime.plugin.PreUpdateChecks;
import dev.docksmith.runtime.check.RegistryAnswers;
import dev.docksmith.runtime.plugin.RegistryDirectory;
import dev.docksmith.runtime.plugin.StrategyDirectory;
import dev.docksmith.runtime.config.DocksmithConfig;
import dev.docksmith.runtime.docker.DockerClient;
import dev.docksmith.runtime.docker.transport.DockerHost;
import dev.docksmith.runtime.engine.EngineEventRelay;
import dev.docksmith.runtime.engine.EngineFacade;
import dev.docksmith.runtime.engine.EngineInventory;
import dev.docksmith.runtime.events.EventBus;
import dev.docksmith.runtime.http.HttpApi;
import dev.docksmith.runtime.http.ServerLimits;
import dev.docksmith.runtime.http.Request;
import dev.docksmith.runtime.http.Router;
import dev.docksmith.runtime.http.SecurityPolicy;
import dev.docksmith.runtime.operations.OperationLog;
import dev.docksmith.runtime.plugin.PluginLoader;
import dev.docksmith.runtime.plugin.PluginSettings;
import dev.docksmith.runtime.stack.ComposeDetector;
import dev.docksmith.runtime.stack.Restarter;
import dev.docksmith.runtime.threads.Workers;
import dev.docksmith.runtime.update.HealthGate;
import dev.docksmith.runtime.update.NamespaceReattach;
import dev.docksmith.runtime.update.UpdateRecovery;
import dev.docksmith.runtime.update.UpdateRequests;
import dev.docksmith.runtime.update.Updater;
import dev.docksmith.spi.DockerEngine;
import dev.docksmith.spi.EventSink;
import dev.docksmith.spi.Plugin;
import dev.docksmith.spi.PluginContext;
import dev.docksmith.spi.PreUpdateCheck;
import dev.docksmith.spi.RegistryPlugin;
import dev.docksmith.spi.Settings;
import dev.docksmith.spi.Store;
import dev.docksmith.spi.StorePlugin;
import dev.docksmith.spi.UpdateStrategy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Wires one running Docksmith from its configuration: plugins, store, engine client, checker,
 * routes and HTTP. Kept apart from Docksmith, which only owns the life cycle and knows this class, not
 * the other way round.
 */
final class RuntimeAssembly {
    private static final System.Logger LOG = System.getLogger("dev.docksmith.runtime.Docksmith");
    private static final Duration STOP_GRACE = Duration.ofSeconds(2);
    /** Threads for registry calls and scripts on Java 17 (virtual threads on 21+): enough for every repository of a big host at once. */
    private static final int WORKER_THREADS = 64;

    private final DocksmithConfig config;
    private final Clock clock;
    private final ClassLoader classLoader;
    private final boolean discoverPlugins;
    private final List<Plugin> givenPlugins;
    private final Store givenStore;
    private final List<Consumer<Event>> listeners;
    private final HttpServer hostServer;
    private final String mountPrefix;
    private final boolean http;
    private final Executor hostExecutor;

    RuntimeAssembly(DocksmithConfig config, Clock clock, ClassLoader classLoader, boolean discoverPlugins, List<Plugin> givenPlugins,
                    Store givenStore, List<Consumer<Event>> listeners, HttpServer hostServer, String mountPrefix, boolean http,
                    Executor hostExecutor) {
        this.config = config;
        this.clock = clock;
        this.classLoader = classLoader;
        this.discoverPlugins = discoverPlugins;
        this.givenPlugins = givenPlugins;
        this.givenStore = givenStore;
        this.listeners = listeners;
        this.hostServer = hostServer;
        this.mountPrefix = mountPrefix;
        this.http = http;
        this.hostExecutor = hostExecutor;
    }

    /** Builds and starts everything, adding each part to {@code opened} (closed in reverse on stop or failure). */
    Running assemble(List<AutoCloseable> opened) {
        PluginLoader loader = new PluginLoader(classLoader);
        opened.add(loader); // first in, so closed last: the plugin jars' class loaders outlive their plugins' stop()
        if (discoverPlugins) {
            loader.addDirectory(config.pluginsDir());
        }
        List<StorePlugin> storePlugins = loader.byPriority(StorePlugin.class, plugins(loader, StorePlugin.class), StorePlugin::priority);
        List<RegistryPlugin> registryPlugins = plugins(loader, RegistryPlugin.class);
        List<PreUpdateCheck> checkPlugins = plugins(loader, PreUpdateCheck.class);
        List<UpdateStrategy> strategyPlugins = plugins(loader, UpdateStrategy.class);

        EventBus events = new EventBus();
        opened.add(events);
        for (Consumer<Event> listener : listeners) {
            opened.add(events.addListener(listener));
        }
        // Creating the client does not touch the engine: Docksmith starts even while the engine is away.
        DockerClient docker = DockerClient.create(DockerHost.fromEnvironment(config.raw()), config.dockerTimeout());
        opened.add(docker);
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(Workers.daemon("docksmith-scheduler", 0));
        opened.add(() -> stopAndWait(scheduler, "docksmith-scheduler"));
        PluginContext context = new Context(new PluginSettings(config, System.getenv()), new EngineFacade(docker), events, clock);
        List<Plugin> started = new CopyOnWriteArrayList<>();
        opened.add(() -> stopPlugins(started));

        // Opening the store is the slowest step, so it runs on its own thread while the rest comes up.
        CompletableFuture<StoreOpener.Opened> opening = CompletableFuture.supplyAsync(() -> {
            StoreOpener.Opened o = givenStore != null
                    ? new StoreOpener.Opened(givenStore, "given", null)
                    : StoreOpener.open(storePlugins, config.dataDir(), context, started);
            StoreOpener.resolveInterrupted(o.store(), clock.instant());
            return o;
        }, task -> Workers.daemon("docksmith-store-open", 0).newThread(task).start());
        PendingStore store = new PendingStore(opening);
        opened.add(store);

        Map<Plugin, String> refused = new IdentityHashMap<>();
        startPlugins(loader, RegistryPlugin.class, registryPlugins, context, started, refused);
        startPlugins(loader, PreUpdateCheck.class, checkPlugins, context, started, refused);
        startPlugins(loader, UpdateStrategy.class, strategyPlugins, context, started, refused);
        Executor workers = hostExecutor;
        if (workers == null) {
            ExecutorService own = Workers.pool("docksmith-worker", WORKER_THREADS, 10_000);
            opened.add(() -> stopAndWait(own, "docksmith-worker"));
            workers = own;
        }
        Executor work = workers; // effectively final, for the lambdas below

        OperationLog operations = new OperationLog(store, clock);
        RegistryDirectory registries = new RegistryDirectory(
                loader.byPriority(RegistryPlugin.class, started(registryPlugins, started), RegistryPlugin::priority));
        RegistryAnswers answers = new RegistryAnswers(registries::clientFor, workers, config.registryConcurrency(),
                clock, config.cacheTtl());
        PreUpdateChecks preUpdateChecks = new PreUpdateChecks(started(checkPlugins, started), store);
        EngineInventory inventory = new EngineInventory(docker, workers, clock);
        StrategyDirectory strategies = new StrategyDirectory(
                loader.byPriority(UpdateStrategy.class, started(strategyPlugins, started), UpdateStrategy::priority));
        Checker checker = new Checker(docker, inventory, answers, strategies, preUpdateChecks,
                events, store, workers, clock);
        CheckScheduler checks = new CheckScheduler(checker, answers, scheduler, workers, clock, config.checkInterval());
        opened.add(checks);
        Restarter restarter = new Restarter(docker, operations, events, Duration.ofSeconds(10));
        CompletableFuture<Void> recovered = new CompletableFuture<>();
        HealthGate healthGate = new HealthGate(docker, clock, config.healthTimeout(), config.healthGrace());
        Updater updater = new Updater(docker, store, operations, preUpdateChecks, healthGate, events, workers, clock, recovered,
                name -> work.execute(() -> recheck(checker, name)),
                new NamespaceReattach(docker, strategies::strategyFor, healthGate), restarter);
        UpdateRequests updateRequests = new UpdateRequests(docker, checker, registries, strategies, preUpdateChecks, store);
        Router router = new Router();
        router.register(new SystemRoutes(BuildVersion.get(), docker, new ComposeDetector(), loader,
                () -> storeInfo(store.await()), checks::status));
        router.register(new ResourceRoutes(docker, operations));
        router.register(new ContainerRoutes(docker, operations, restarter));
        router.register(new PruneRoutes(docker, operations));
        router.register(new RestartRoutes(restarter, docker));
        router.register(new OperationRoutes(store));
        router.register(new EventRoutes(events));
        router.register(new CheckRoutes(checks, checker, registries));
        router.register(new HistoryRoutes(store));
        router.register(new ScriptRoutes(preUpdateChecks, store, docker, operations));
        router.register(new UpdateRoutes(updateRequests, updater));
        router.register(new PolicyRoutes(docker, store));
        router.register(new LabelRoutes(docker, updateRequests, updater));
        HttpApi httpApi = http ? serve(router, opened) : null;

        StoreOpener.Opened openedStore = store.await();
        try {
            UpdateRecovery.recover(openedStore.store(), started(strategyPlugins, started), events, clock);
        } finally {
            recovered.complete(null); // queued updates may run now, even if a repair failed (it is recorded)
        }
        EngineEventRelay relay = new EngineEventRelay(docker, events, scheduler, inventory);
        opened.add(relay);
        relay.start();
        checks.start();
        // last in, so closed first: callers still waiting on checks and updates are released before the pools stop under them
        opened.add(checker);
        opened.add(updater::close);
        LOG.log(System.Logger.Level.INFO, "Docksmith {0} started: engine {1}, store {2}{3}", BuildVersion.get(), docker.endpoint(),
                openedStore.plugin(), httpApi == null || hostServer != null ? "" : ", API on http://" + config.bind() + ":" + httpApi.port() + "/api/");
        return new Running(docker, openedStore.store(), events, httpApi, checker, updateRequests, updater, opened);
    }

    /** Brings the last check's answer for one container up to date after an update; a failure only means it stays stale. */
    private static void recheck(Checker checker, String name) {
        try {
            checker.checkOne(name);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "re-check of {0} after its update failed: {1}", name, e.toString());
        }
    }

    /** The plugins of one SPI: those given in code, then (unless turned off) those ServiceLoader finds. */
    private <T extends Plugin> List<T> plugins(PluginLoader loader, Class<T> spi) {
        List<T> found = new ArrayList<>();
        for (Plugin p : givenPlugins) {
            if (spi.isInstance(p)) {
                loader.accept(spi, spi.cast(p), found);
            }
        }
        if (discoverPlugins) {
            found.addAll(loader.load(spi));
        }
        return found;
    }

    private HttpApi serve(Router router, List<AutoCloseable> opened) {
        SecurityPolicy policy = new SecurityPolicy(config.apiToken(), config.bind(), config.port(),
                config.allowedOrigins(), config.allowedHosts());
        HttpApi httpApi = HttpApi.builder(router).security(policy)
                .limits(ServerLimits.of(config.requestTimeout(), config.maxConnections())).build();
        opened.add(() -> httpApi.stop(STOP_GRACE));
        if (hostServer != null) {
            httpApi.mount(hostServer, mountPrefix);
        } else {
            try {
                httpApi.start(new InetSocketAddress(config.bind(), config.port()));
            } catch (IOException e) {
                throw new IllegalStateException("cannot listen on " + config.bind() + ":" + config.port() + ": " + e.getMessage(), e);
            }
            warnIfExposed();
        }
        // Answer one request in memory now, so the first real one does not pay for loading the
        // routing and JSON classes; this overlaps with the store still opening.
        httpApi.handle(Request.builder("GET", "/api/health").header("Host", "localhost").build());
        return httpApi;
    }

    /** Only reached with DOCKSMITH_ALLOW_NO_AUTH=true: the configuration refuses an open bind without a token otherwise. */
    private void warnIfExposed() {
        if (!config.loopbackBind() && config.apiToken() == null) {
            LOG.log(System.Logger.Level.WARNING, "listening on {0} without DOCKSMITH_API_TOKEN (DOCKSMITH_ALLOW_NO_AUTH=true):"
                    + " anyone who can reach this port past your proxy controls the Docker host", config.bind());
        }
    }

    private static Map<String, Object> storeInfo(StoreOpener.Opened opened) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("plugin", opened.plugin());
        m.put("persistent", opened.store().persistent());
        m.put("data_dir", opened.dataDir() == null ? null : opened.dataDir().toAbsolutePath().toString());
        return m;
    }

    /**
     * Starts each plugin once ({@code refused} remembers those whose start threw); one that throws is
     * recorded as failed and left out. LinkageError counts too: a plugin jar missing a class it needs
     * (a dependency it forgot to shade) throws NoClassDefFoundError from its own code, and that is its
     * fault, not the runtime's. Errors of the JVM itself (OutOfMemoryError) still stop the start.
     */
    private static <T extends Plugin> void startPlugins(PluginLoader loader, Class<T> spi, List<T> plugins, PluginContext context,
                                                        List<Plugin> started, Map<Plugin, String> refused) {
        for (T p : plugins) {
            // One instance given in code may implement two SPIs; it is still started (and stopped) once.
            if (started.contains(p)) {
                continue;
            }
            if (!refused.containsKey(p)) {
                try {
                    p.start(context);
                    started.add(p);
                } catch (RuntimeException | LinkageError e) {
                    refused.put(p, "start() threw " + e);
                }
            }
            if (refused.containsKey(p)) { // listed as failed under each SPI it was loaded for
                loader.fail(spi, p.name(), refused.get(p));
            }
        }
    }

    /**
     * Interrupts the pool's tasks and waits for its threads to end, so that stop() returns with none
     * of Docksmith's threads running: a host checks for leftovers, or unloads the jar, right after.
     * A task that ignores the interrupt (a blocking socket read) gets {@link #STOP_GRACE}.
     */
    private static void stopAndWait(ExecutorService pool, String name) {
        pool.shutdownNow();
        try {
            if (!pool.awaitTermination(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.log(System.Logger.Level.WARNING, "{0} threads still running {1} after stop; leaving them", name, STOP_GRACE);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the host wants its thread back: stop waiting, keep the flag
        }
    }

    private static <T extends Plugin> List<T> started(List<T> plugins, List<Plugin> started) {
        return plugins.stream().filter(started::contains).toList();
    }

    private static void stopPlugins(List<Plugin> plugins) {
        for (Plugin p : plugins) {
            try {
                p.stop();
            } catch (RuntimeException | LinkageError e) {
                LOG.log(System.Logger.Level.WARNING, "plugin {0} failed to stop: {1}", p.name(), e.toString());
            }
        }
    }

    /** The context handed to plugins. */
    private record Context(Settings settings, DockerEngine docker, EventSink events, Clock clock) implements PluginContext {
    }
}
