package dev.docksmith.runtime.check;

import dev.docksmith.api.ContainerInfo;
import dev.docksmith.spi.UpdateStrategy;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** Chooses the update strategy for a container: the highest priority among those that support it. */
public final class StrategyDirectory {
    private final List<UpdateStrategy> strategies;

    public StrategyDirectory(List<UpdateStrategy> strategies) {
        this.strategies = strategies.stream().sorted(Comparator.comparingInt(UpdateStrategy::priority).reversed()).toList();
    }

    public Optional<UpdateStrategy> strategyFor(ContainerInfo container) {
        return strategies.stream().filter(s -> s.supports(container)).findFirst();
    }
}
