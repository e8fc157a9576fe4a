package dev.docksmith.runtime.plugin;

/**
 * A provider that could not be used, and why. The runtime logs it, lists it, and goes on without it.
 *
 * @param spi      the SPI it was found for
 * @param provider the provider class or plugin name, as far as it is known
 * @param reason   what went wrong
 */
public record PluginFailure(String spi, String provider, String reason) {
}
