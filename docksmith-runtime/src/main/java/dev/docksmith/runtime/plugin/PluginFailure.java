package dev.docksmith.runtime.plugin;

/**
 * A provider that could not be used, and why. The runtime logs it, lists it, and goes on without it.
 *
 * @param spi      the SPI it was found for, or {@link #WHOLE_JAR} when a plugin jar could not be opened at all
 * @param provider the provider class or plugin name, as far as it is known
 * @param source   the jar it came from, so a user knows which file to replace ("class path" for built-ins)
 * @param reason   what went wrong
 */
public record PluginFailure(String spi, String provider, String source, String reason) {
    /** The {@code spi} of a failure that cost every provider of a jar. */
    public static final String WHOLE_JAR = "*";
}
