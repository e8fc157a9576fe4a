package dev.docksmith.runtime.plugin;

import dev.docksmith.spi.Plugin;

import java.util.function.Supplier;

/**
 * Calls into a plugin whose bugs must not spread to every container: a method that should only
 * answer (a {@code serves()}, a list) but throws, a {@code RuntimeException} or a
 * {@code LinkageError} of a jar that lacks a class, is logged and answered with a fallback.
 * Errors of the JVM itself ({@code OutOfMemoryError}) are not the plugin's and pass.
 */
public final class PluginCalls {
    private static final System.Logger LOG = System.getLogger(PluginCalls.class.getName());

    private PluginCalls() {
    }

    /**
     * {@code answer}'s value, or {@code fallback} when it throws; the warning names the plugin, the
     * {@code call} ({@code serves(ghcr.io/x/y)}, built only then) and what the fallback means
     * ({@code skipped for this image}).
     */
    public static <T> T orElse(Plugin plugin, Supplier<String> call, Supplier<T> answer, T fallback, String meaning) {
        try {
            return answer.get();
        } catch (RuntimeException | LinkageError e) {
            LOG.log(System.Logger.Level.WARNING, "plugin {0}: {1} threw {2}; {3}", plugin.name(), call.get(), e.toString(), meaning);
            return fallback;
        }
    }
}
