package dev.docksmith.runtime.plugin;

import dev.docksmith.api.ContainerInfo;
import dev.docksmith.spi.UpdateStrategy;

import java.util.List;
import java.util.Optional;

/** Chooses the update strategy for a container: the first, in priority order, that supports it. */
public final class StrategyDirectory {
    private final List<UpdateStrategy> strategies;

    /** @param strategies highest priority first ({@link dev.docksmith.runtime.plugin.PluginLoader#byPriority}) */
    public StrategyDirectory(List<UpdateStrategy> strategies) {
        this.strategies = List.copyOf(strategies);
    }

    public Optional<UpdateStrategy> strategyFor(ContainerInfo container) {
        return strategies.stream().filter(s -> supports(s, container)).findFirst();
    }

    /** A {@code supports()} that throws counts as "no", so one strategy's bug does not fail every container's check. */
    private static boolean supports(UpdateStrategy strategy, ContainerInfo container) {
        return PluginCalls.orElse(strategy, () -> "supports(" + container.name() + ")", () -> strategy.supports(container),
                false, "skipped for this container");
    }
}
