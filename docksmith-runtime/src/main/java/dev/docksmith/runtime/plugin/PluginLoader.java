package dev.docksmith.runtime.plugin;

import dev.docksmith.spi.Plugin;

import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * Finds providers with {@link ServiceLoader}, surviving bad ones. A provider whose class is missing,
 * whose constructor throws, or which was built for a newer SPI generation is recorded as a
 * {@link PluginFailure} and skipped: one broken jar never takes the runtime down.
 */
public final class PluginLoader {
    private static final System.Logger LOG = System.getLogger(PluginLoader.class.getName());
    /** Guards against a ServiceLoader that keeps failing on the same entry. */
    private static final int MAX_ERRORS_PER_SPI = 100;

    private final ClassLoader classLoader;
    private final List<PluginInfo> loaded = new ArrayList<>();
    private final List<PluginFailure> failed = new ArrayList<>();

    public PluginLoader(ClassLoader classLoader) {
        this.classLoader = classLoader;
    }

    /** Every usable provider of {@code spi}, in discovery order. */
    public synchronized <T extends Plugin> List<T> load(Class<T> spi) {
        List<T> found = new ArrayList<>();
        Iterator<T> it = ServiceLoader.load(spi, classLoader).iterator();
        int errors = 0;
        while (errors < MAX_ERRORS_PER_SPI) {
            try {
                if (!it.hasNext()) {
                    break;
                }
                accept(spi, it.next(), found);
            } catch (ServiceConfigurationError | LinkageError e) {
                errors++;
                fail(spi, providerOf(e), rootMessage(e));
            }
        }
        return found;
    }

    /** Records a plugin given in code (not discovered), with the same checks. */
    public synchronized <T extends Plugin> boolean accept(Class<T> spi, T plugin, List<T> into) {
        String name;
        int apiVersion;
        try {
            name = plugin.name();
            apiVersion = plugin.apiVersion();
        } catch (RuntimeException e) {
            fail(spi, plugin.getClass().getName(), "name()/apiVersion() threw " + rootMessage(e));
            return false;
        }
        if (apiVersion > Plugin.API_VERSION) {
            fail(spi, name, "built for SPI version " + apiVersion + ", this runtime offers " + Plugin.API_VERSION);
            return false;
        }
        into.add(plugin);
        loaded.add(new PluginInfo(name, spi.getSimpleName(), plugin.getClass().getName(), sourceOf(plugin.getClass()),
                versionOf(plugin.getClass()), apiVersion));
        LOG.log(System.Logger.Level.INFO, "plugin {0} ({1}) loaded from {2}", name, spi.getSimpleName(), sourceOf(plugin.getClass()));
        return true;
    }

    /** Records a plugin that failed later, for example in {@link Plugin#start}. */
    public synchronized void fail(Class<?> spi, String provider, String reason) {
        failed.add(new PluginFailure(spi.getSimpleName(), provider, reason));
        loaded.removeIf(p -> p.spi().equals(spi.getSimpleName()) && (p.name().equals(provider) || p.className().equals(provider)));
        LOG.log(System.Logger.Level.WARNING, "plugin {0} ({1}) skipped: {2}", provider, spi.getSimpleName(), reason);
    }

    public synchronized List<PluginInfo> loaded() {
        return List.copyOf(loaded);
    }

    public synchronized List<PluginFailure> failed() {
        return List.copyOf(failed);
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
