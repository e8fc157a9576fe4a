package dev.docksmith.runtime;

import dev.docksmith.runtime.check.Checker;
import dev.docksmith.runtime.docker.DockerClient;
import dev.docksmith.runtime.events.EventBus;
import dev.docksmith.runtime.http.HttpApi;
import dev.docksmith.runtime.update.UpdateRequests;
import dev.docksmith.runtime.update.Updater;
import dev.docksmith.spi.Store;

import java.util.List;

/**
 * What {@link RuntimeAssembly} builds and {@link Docksmith} runs: everything that exists only while
 * started; {@code resources} close in reverse order on stop.
 */
record Running(DockerClient docker, Store store, EventBus events, HttpApi httpApi, Checker checker,
               UpdateRequests updateRequests, Updater updater, List<AutoCloseable> resources) {
}
