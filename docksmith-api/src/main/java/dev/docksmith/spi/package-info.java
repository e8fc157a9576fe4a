/**
 * The service provider interfaces a Docksmith plugin implements, and what the runtime offers it.
 *
 * <p>A plugin implements one of {@link dev.docksmith.spi.RegistryPlugin},
 * {@link dev.docksmith.spi.PreUpdateCheck}, {@link dev.docksmith.spi.UpdateStrategy} or
 * {@link dev.docksmith.spi.StorePlugin} (all of them {@link dev.docksmith.spi.Plugin}s), has a
 * public no-argument constructor, and is listed in
 * {@code META-INF/services/<fully qualified interface name>} so that {@link java.util.ServiceLoader}
 * finds it. When the runtime starts it calls {@link dev.docksmith.spi.Plugin#start} with a
 * {@link dev.docksmith.spi.PluginContext} (settings, the {@link dev.docksmith.spi.DockerEngine}
 * facade, an {@link dev.docksmith.spi.EventSink} and a clock).
 *
 * <p>Unless a method says otherwise, the runtime calls plugins from several threads at once, so
 * implementations must be thread-safe; failures are reported with the unchecked exceptions of
 * {@code dev.docksmith.api}. These interfaces evolve by adding default methods only; a change a
 * plugin could notice raises {@link dev.docksmith.spi.Plugin#API_VERSION}.
 */
package dev.docksmith.spi;
