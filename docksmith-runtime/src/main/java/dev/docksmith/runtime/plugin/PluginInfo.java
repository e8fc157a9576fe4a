package dev.docksmith.runtime.plugin;

/**
 * A plugin that loaded, as {@code /api/docker-config} lists it.
 *
 * @param name       the plugin's own name
 * @param spi        the SPI it implements (simple interface name)
 * @param className  its provider class
 * @param source     the jar or directory it came from
 * @param version    its jar's Implementation-Version, or "unknown"
 * @param apiVersion the SPI generation it was built for
 */
public record PluginInfo(String name, String spi, String className, String source, String version, int apiVersion) {
}
