package dev.docksmith.runtime.plugin;

import dev.docksmith.spi.Plugin;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.function.ToIntFunction;

/**
 * Finds providers with {@link ServiceLoader}, surviving bad ones: first on the runtime's class loader
 * (the built-in plugins), then in each jar of the plugins directory. A jar that is not a zip, a
 * provider whose class is missing, whose constructor throws, or which was built for a newer SPI
 * generation is recorded as a {@link PluginFailure} naming its jar and skipped: one broken jar
 * never takes the runtime down. {@link #close()} closes the jars' class loaders.
 */
public final class PluginLoader implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(PluginLoader.class.getName());
    /** Guards against a ServiceLoader that keeps failing on the same entry. */
    private static final int MAX_ERRORS_PER_SPI = 100;
    private static final String CLASS_PATH = "class path";

    private final ClassLoader classLoader;
    private final List<PluginJar> jars = new ArrayList<>();
    private final List<PluginInfo> loaded = new ArrayList<>();
    private final List<PluginFailure> failed = new ArrayList<>();

    public PluginLoader(ClassLoader classLoader) {
        this.classLoader = classLoader;
    }

    /**
     * Adds every {@code *.jar} directly in {@code dir} (by name), each in a class loader of its own
     * whose parent is the runtime's. A missing directory is normal (most hosts add no plugins).
     */
    public synchronized void addDirectory(Path dir) {
        if (Files.notExists(dir)) {
            LOG.log(System.Logger.Level.INFO, "no plugins directory at {0}: built-in plugins only", dir.toAbsolutePath());
            return;
        }
        List<Path> found;
        try {
            found = PluginJar.in(dir);
        } catch (IOException e) {
            failed.add(new PluginFailure(PluginFailure.WHOLE_JAR, dir.toString(), dir.toString(), "cannot list the plugins directory: " + e));
            LOG.log(System.Logger.Level.WARNING, "cannot list the plugins directory {0}: {1}", dir.toAbsolutePath(), e.toString());
            return;
        }
        for (Path jar : found) {
            try {
                jars.add(PluginJar.open(jar, classLoader));
            } catch (IOException | RuntimeException e) {
                failed.add(new PluginFailure(PluginFailure.WHOLE_JAR, jar.getFileName().toString(), jar.toString(),
                        "not a readable jar: " + e.getMessage()));
                LOG.log(System.Logger.Level.WARNING, "plugin jar {0} skipped: not a readable jar: {1}", jar, e.toString());
            }
        }
        LOG.log(System.Logger.Level.INFO, "plugins directory {0}: {1} jar(s)", dir.toAbsolutePath(), jars.size());
    }

    /** Every usable provider of {@code spi}: the built-in ones, then those of each plugin jar in name order. */
    public synchronized <T extends Plugin> List<T> load(Class<T> spi) {
        List<T> found = new ArrayList<>();
        discover(spi, classLoader, null, found);
        for (PluginJar jar : jars) {
            discover(spi, jar.loader(), jar, found);
        }
        return found;
    }

    /** Adds the providers {@code loader} declares; {@code jar} is null for the runtime's own class loader. */
    private <T extends Plugin> void discover(Class<T> spi, ClassLoader loader, PluginJar jar, List<T> into) {
        String source = jar == null ? CLASS_PATH : jar.path().toString();
        Iterator<T> it = ServiceLoader.load(spi, loader).iterator();
        int errors = 0;
        while (errors < MAX_ERRORS_PER_SPI) {
            try {
                if (!it.hasNext()) {
                    break;
                }
                T plugin = it.next();
                if (jar == null) {
                    accept(spi, plugin, into);
                } else {
                    accept(spi, plugin, into, source, jar.version());
                }
            } catch (ServiceConfigurationError | LinkageError e) {
                errors++;
                failed.add(new PluginFailure(spi.getSimpleName(), providerOf(e), source, rootMessage(e)));
                LOG.log(System.Logger.Level.WARNING, "plugin {0} ({1}, from {2}) skipped: {3}", providerOf(e), spi.getSimpleName(),
                        source, rootMessage(e));
            }
        }
    }

    /** Records a plugin given in code (not discovered), with the same checks. */
    public synchronized <T extends Plugin> boolean accept(Class<T> spi, T plugin, List<T> into) {
        return accept(spi, plugin, into, sourceOf(plugin.getClass()), versionOf(plugin.getClass()));
    }

    private <T extends Plugin> boolean accept(Class<T> spi, T plugin, List<T> into, String source, String version) {
        String name;
        int apiVersion;
        try {
            name = plugin.name();
            apiVersion = plugin.apiVersion();
        } catch (RuntimeException | LinkageError e) {
            failed.add(new PluginFailure(spi.getSimpleName(), plugin.getClass().getName(), source,
                    "name()/apiVersion() threw " + rootMessage(e)));
            return false;
        }
        if (apiVersion < 1) {
            // Generations start at 1; anything less is a bug in the plugin, and no contract to hold it to.
            failed.add(new PluginFailure(spi.getSimpleName(), name, source,
                    "apiVersion() answered " + apiVersion + "; an SPI version is 1 or more (this runtime offers " + Plugin.API_VERSION + ")"));
            LOG.log(System.Logger.Level.WARNING, "plugin {0} ({1}, from {2}) skipped: apiVersion() answered {3}", name,
                    spi.getSimpleName(), source, apiVersion);
            return false;
        }
        if (apiVersion > Plugin.API_VERSION) {
            failed.add(new PluginFailure(spi.getSimpleName(), name, source,
                    "built for SPI version " + apiVersion + ", this runtime offers " + Plugin.API_VERSION));
            LOG.log(System.Logger.Level.WARNING, "plugin {0} ({1}, from {2}) skipped: built for SPI version {3}", name,
                    spi.getSimpleName(), source, apiVersion);
            return false;
        }
        into.add(plugin);
        loaded.add(new PluginInfo(name, spi.getSimpleName(), plugin.getClass().getName(), source, version, apiVersion));
        LOG.log(System.Logger.Level.INFO, "plugin {0} ({1}) loaded from {2}", name, spi.getSimpleName(), source);
        return true;
    }

    /**
     * {@code plugins} highest {@code priority} first (equal ones keep their order), asking each plugin
     * once. One whose {@code priority()} throws is recorded as failed and left out: ordering is asked
     * while the runtime starts, so letting it throw would stop every other plugin as well.
     */
    public <T extends Plugin> List<T> byPriority(Class<T> spi, List<T> plugins, ToIntFunction<? super T> priority) {
        record Ranked<P>(P plugin, int priority) {
        }
        List<Ranked<T>> ranked = new ArrayList<>();
        for (T p : plugins) {
            try {
                ranked.add(new Ranked<>(p, priority.applyAsInt(p)));
            } catch (RuntimeException | LinkageError e) {
                fail(spi, p.name(), "priority() threw " + e);
            }
        }
        // List.sort is stable, so plugins of equal priority stay in discovery order.
        ranked.sort(Comparator.comparingInt((Ranked<T> r) -> r.priority()).reversed());
        return ranked.stream().map(Ranked::plugin).toList();
    }

    /** Records a plugin that failed later, for example in {@link Plugin#start}. */
    public synchronized void fail(Class<?> spi, String provider, String reason) {
        String source = loaded.stream()
                .filter(p -> p.spi().equals(spi.getSimpleName()) && (p.name().equals(provider) || p.className().equals(provider)))
                .map(PluginInfo::source).findFirst().orElse("unknown");
        failed.add(new PluginFailure(spi.getSimpleName(), provider, source, reason));
        loaded.removeIf(p -> p.spi().equals(spi.getSimpleName()) && (p.name().equals(provider) || p.className().equals(provider)));
        LOG.log(System.Logger.Level.WARNING, "plugin {0} ({1}) skipped: {2}", provider, spi.getSimpleName(), reason);
    }

    public synchronized List<PluginInfo> loaded() {
        return List.copyOf(loaded);
    }

    public synchronized List<PluginFailure> failed() {
        return List.copyOf(failed);
    }

    /** Closes the plugin jars' class loaders; call it only once their plugins have stopped. */
    @Override
    public synchronized void close() {
        for (PluginJar jar : jars) {
            try {
                jar.close();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "closing plugin jar {0}: {1}", jar.path(), e.toString());
            }
        }
        jars.clear();
    }

    private static String providerOf(Throwable e) {
        // ServiceLoader's messages read "<spi>: Provider <class> could not be instantiated" or "... not found".
        String m = String.valueOf(e.getMessage());
        int i = m.indexOf("Provider ");
        if (i >= 0) {
            String rest = m.substring(i + "Provider ".length());
            int space = rest.indexOf(' ');
            return space > 0 ? rest.substring(0, space) : rest;
        }
        return "unknown provider";
    }

    static String rootMessage(Throwable e) {
        StringBuilder sb = new StringBuilder(String.valueOf(e.getMessage()));
        Throwable c = e.getCause();
        while (c != null && c != e) {
            sb.append(": ").append(c.getClass().getSimpleName()).append(' ').append(c.getMessage());
            e = c;
            c = c.getCause();
        }
        return sb.toString();
    }

    private static String sourceOf(Class<?> type) {
        try {
            CodeSource cs = type.getProtectionDomain().getCodeSource();
            return cs == null || cs.getLocation() == null ? "built-in" : cs.getLocation().getPath();
        } catch (SecurityException e) {
            return "unknown";
        }
    }

    private static String versionOf(Class<?> type) {
        Package p = type.getPackage();
        String v = p == null ? null : p.getImplementationVersion();
        return v == null ? "unknown" : v;
    }
}
