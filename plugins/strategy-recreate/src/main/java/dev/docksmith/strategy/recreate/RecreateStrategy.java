package dev.docksmith.strategy.recreate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.docksmith.api.Applied;
import dev.docksmith.api.Change;
import dev.docksmith.api.ContainerInfo;
import dev.docksmith.api.NotFoundException;
import dev.docksmith.api.UpdateException;
import dev.docksmith.spi.DockerEngine;
import dev.docksmith.spi.PluginContext;
import dev.docksmith.spi.StageListener;
import dev.docksmith.spi.UpdateStrategy;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Containers not from compose: recreated through the Engine API with their exact configuration on
 * the new image (see {@link CreateBody}). The old container is kept, renamed, until the runtime's
 * health gate passes ({@link #removeKept}) or an undo brings it back.
 */
public final class RecreateStrategy implements UpdateStrategy {
    public static final String OLD_ID = "old_id";
    public static final String OLD_NAME = "old_name";
    public static final String KEPT_NAME = "kept_name";
    public static final String NEW_ID = "new_id";
    public static final String WAS_RUNNING = "was_running";
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

    private static final ObjectMapper JSON = new ObjectMapper();

    private DockerEngine docker;
    private Clock clock = Clock.systemUTC();

    /** For ServiceLoader; the engine comes with {@link #start}. */
    public RecreateStrategy() {
    }

    /** With an explicit engine, for tests and embedding. */
    public RecreateStrategy(DockerEngine docker) {
        this.docker = docker;
    }

    @Override
    public String name() {
        return "strategy-recreate";
    }

    @Override
    public int priority() {
        return 0;
    }

    @Override
    public void start(PluginContext context) {
        this.docker = context.docker();
        if (context.clock() != null) {
            this.clock = context.clock();
        }
    }

    @Override
    public boolean supports(ContainerInfo container) {
        return container.labels().get(ContainerInfo.COMPOSE_PROJECT) == null;
    }

    /** No definition is kept apart from the container itself. */
    @Override
    public Optional<String> declaredImage(ContainerInfo container) {
        return Optional.empty();
    }

    @Override
    public Applied apply(Change change, StageListener stages) {
        StageListener listener = stages == null ? StageListener.NONE : stages;
        DockerEngine engine = engine();
        String name = change.container().name();
        String newImage = change.newImage();

        listener.stage("pulling_image", 0, "pulling " + newImage);
        try {
            engine.pull(newImage);
        } catch (RuntimeException e) {
            throw new UpdateException("updating " + name + ": pulling " + newImage + " failed: " + e.getMessage()
                    + "; nothing was changed", e);
        }

        listener.stage("recreating", 0, "recreating " + name + " on " + newImage);
        String oldId;
        String previousImage;
        boolean wasRunning;
        String body;
        try {
            JsonNode inspect = JSON.readTree(engine.inspectJson(change.container().id()));
            oldId = inspect.path("Id").asText(change.container().id());
            previousImage = inspect.path("Config").path("Image").asText(change.container().image());
            wasRunning = inspect.path("State").path("Running").asBoolean(change.container().running());
            body = CreateBody.from(inspect, newImage);
        } catch (Exception e) {
            throw new UpdateException("updating " + name + ": inspecting the container failed: " + e.getMessage()
                    + "; nothing was changed", e);
        }

        String kept = name + "-docksmith-old-" + clock.instant().getEpochSecond();
        try {
            engine.rename(oldId, kept);
        } catch (RuntimeException e) {
            throw new UpdateException("updating " + name + ": renaming it to " + kept + " failed: " + e.getMessage()
                    + "; nothing was changed", e);
        }

        String step = "stopping the old container";
        String newId = null;
        try {
            engine.stop(oldId, STOP_TIMEOUT);
            step = "creating the new container on " + newImage;
            newId = engine.create(name, body);
            step = "starting the new container";
            engine.start(newId);
        } catch (RuntimeException e) {
            String restored = restore(engine, oldId, name, newId, wasRunning);
            throw new UpdateException("updating " + name + ": " + step + " failed: " + e.getMessage() + "; " + restored, e);
        }
        listener.stage("recreating", 100, name + " recreated on " + newImage + "; old container kept as " + kept);
        return new Applied(name, previousImage, newImage, Map.of(
                OLD_ID, oldId, OLD_NAME, name, KEPT_NAME, kept, NEW_ID, newId,
                WAS_RUNNING, Boolean.toString(wasRunning)));
    }

    /** Removes the new container if any, renames the old one back and restarts it; says what happened. */
    private static String restore(DockerEngine engine, String oldId, String name, String newId, boolean wasRunning) {
        StringBuilder problems = new StringBuilder();
        if (newId != null) {
            try {
                engine.remove(newId, true);
            } catch (NotFoundException ignored) {
                // already gone
            } catch (RuntimeException e) {
                problems.append(" removing the new container ").append(newId).append(" failed: ").append(e.getMessage()).append(';');
            }
        }
        try {
            engine.rename(oldId, name);
        } catch (RuntimeException e) {
            problems.append(" renaming the old container ").append(oldId).append(" back to ").append(name)
                    .append(" failed: ").append(e.getMessage()).append(';');
        }
        if (wasRunning) {
            try {
                engine.start(oldId);
            } catch (RuntimeException e) {
                problems.append(" starting the old container failed: ").append(e.getMessage()).append(';');
            }
        }
        return problems.isEmpty()
                ? "the old container was restored"
                : "restoring the old container " + oldId + " was incomplete:" + problems;
    }

    @Override
    public void undo(Applied applied, StageListener stages) {
        StageListener listener = stages == null ? StageListener.NONE : stages;
        DockerEngine engine = engine();
        Map<String, String> u = applied.undo();
        String oldId = required(u, OLD_ID);
        String oldName = required(u, OLD_NAME);
        String newId = required(u, NEW_ID);
        listener.stage("recreating", 0, "bringing back " + oldName + " on " + applied.previousImage());
        try {
            try {
                engine.stop(newId, STOP_TIMEOUT);
                engine.remove(newId, true);
            } catch (NotFoundException ignored) {
                // the new container is already gone
            }
            engine.rename(oldId, oldName);
            if (Boolean.parseBoolean(u.get(WAS_RUNNING))) {
                engine.start(oldId);
            }
        } catch (RuntimeException e) {
            throw new UpdateException("undoing the update of " + oldName + " failed: " + e.getMessage(), e);
        }
        listener.stage("recreating", 100, oldName + " is back on " + applied.previousImage());
    }

    /**
     * Removes the old container kept by {@link #apply}. Not part of the SPI: the runtime calls it once
     * the new container has passed the health gate (after which undo is no longer possible this way).
     */
    public void removeKept(Applied applied) {
        String oldId = required(applied.undo(), OLD_ID);
        try {
            engine().remove(oldId, true);
        } catch (NotFoundException ignored) {
            // already gone
        } catch (RuntimeException e) {
            throw new UpdateException("removing the kept container " + applied.undo().get(KEPT_NAME) + " failed: "
                    + e.getMessage(), e);
        }
    }

    private DockerEngine engine() {
        if (docker == null) {
            throw new IllegalStateException("strategy-recreate used before start(context)");
        }
        return docker;
    }

    private static String required(Map<String, String> undo, String key) {
        String v = undo.get(key);
        if (v == null || v.isEmpty()) {
            throw new UpdateException("cannot undo: the stored update has no " + key);
        }
        return v;
    }
}
