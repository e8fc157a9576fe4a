package dev.docksmith.strategy.recreate;

import com.fasterxml.jackson.core.JsonProcessingException;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Containers not from compose: recreated through the Engine API with their exact configuration on
 * the new image, labels changed as asked (see {@link CreateBody}). The old container is kept,
 * renamed and stopped, until the runtime's health gate passes ({@link #commit}) or {@link #undo}
 * brings it back.
 *
 * <p>The plan holds the old container's id, its name, the name it is kept under and whether it ran,
 * which is enough to put things back from any point of {@link #apply}: the new container is always
 * the one holding the old name that is not the old container.
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

    /** With an explicit engine and clock (the clock names the kept container). */
    public RecreateStrategy(DockerEngine docker, Clock clock) {
        this.docker = docker;
        this.clock = clock;
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
    public Applied plan(Change change) {
        String name = change.container().name();
        for (String key : change.labelsToRemove()) {
            if (change.labelsToSet().containsKey(key)) {
                throw new UpdateException("updating " + name + ": label " + key + " is both set and removed");
            }
        }
        JsonNode inspect;
        try {
            inspect = inspect(change.container().id());
        } catch (RuntimeException e) {
            throw new UpdateException("updating " + name + ": inspecting the container failed: " + e.getMessage(), e);
        }
        try {
            // built only to find out now, not halfway through apply, that the config can be reproduced
            CreateBody.from(inspect, change.newImage(), change.labelsToSet(), change.labelsToRemove());
        } catch (RuntimeException e) {
            throw new UpdateException("updating " + name + ": its configuration cannot be reproduced: " + e.getMessage(), e);
        }
        String oldId = inspect.path("Id").asText(change.container().id());
        String oldName = nameOf(inspect).isEmpty() ? name : nameOf(inspect);
        String kept = oldName + "-docksmith-old-" + clock.instant().getEpochSecond();
        String previousImage = inspect.path("Config").path("Image").asText(change.container().image());
        return new Applied(oldName, previousImage, change.newImage(), Map.of(OLD_ID, oldId, OLD_NAME, oldName,
                KEPT_NAME, kept, WAS_RUNNING, Boolean.toString(running(inspect))));
    }

    @Override
    public Applied apply(Change change, Applied plan, StageListener stages) {
        StageListener listener = stages == null ? StageListener.NONE : stages;
        DockerEngine engine = engine();
        String name = required(plan.undo(), OLD_NAME);
        String newImage = change.newImage();

        // a label-only change recreates on the image already here; pulling could move the tag. Any
        // other change pulls, even the same reference: a floating tag whose digest moved.
        if (change.labelsOnly()) {
            listener.stage("pulling_image", 100, newImage + " is what " + name + " runs; not pulling");
        } else {
            listener.stage("pulling_image", 0, "pulling " + newImage);
            try {
                engine.pull(newImage);
            } catch (RuntimeException e) {
                throw new UpdateException("updating " + name + ": pulling " + newImage + " failed: " + e.getMessage()
                        + "; nothing was changed", e);
            }
        }

        return recreate(change, plan, listener, UnaryOperator.identity());
    }

    /**
     * Recreates the container on the image it runs now, pointed from {@code oldId} to {@code newId}
     * (network namespace, volumes_from by id, a legacy link: see {@link CreateBody#pointedAt}), and
     * removes the old container at once: it points at a container that is gone or stopped, so it could
     * never be put back into service.
     */
    @Override
    public String reattach(ContainerInfo container, String oldId, String newId, StageListener stages) {
        StageListener listener = stages == null ? StageListener.NONE : stages;
        JsonNode inspect;
        try {
            inspect = inspect(container.id());
        } catch (RuntimeException e) {
            throw new UpdateException("recreating " + container.name() + ": inspecting it failed: " + e.getMessage(), e);
        }
        // the reference it was created from, so it stays what the check and the user see
        String image = inspect.path("Config").path("Image").asText(container.image());
        Change same = new Change(container, image);
        Applied plan = plan(same);
        String oldName = nameIfThere(oldId);
        String newName = nameOf(inspect(newId));
        Applied done = recreate(same, plan, listener, body -> CreateBody.pointedAt(body, oldId, oldName, newId, newName));
        commit(done);
        return done.containerName();
    }

    /** From the rename on: the part of {@link #apply} after the pull, with a last change to the create body. */
    private Applied recreate(Change change, Applied plan, StageListener listener, UnaryOperator<String> adjust) {
        DockerEngine engine = engine();
        Map<String, String> facts = plan.undo();
        String oldId = required(facts, OLD_ID);
        String name = required(facts, OLD_NAME);
        String kept = required(facts, KEPT_NAME);
        String newImage = change.newImage();
        listener.stage("recreating", 0, "recreating " + name + " on " + newImage);
        String body;
        try {
            // inspected again: the configuration to copy is the one at the moment of the change
            JsonNode current = inspect(oldId);
            body = adjust.apply(CreateBody.from(current, imageOf(current), newImage, change.labelsToSet(),
                    change.labelsToRemove()));
        } catch (RuntimeException e) {
            throw new UpdateException("updating " + name + ": inspecting the container failed: " + e.getMessage()
                    + "; nothing was changed", e);
        }
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
            String failed = "updating " + name + ": " + step + " failed: " + e.getMessage() + "; ";
            if (newId != null && !UpdateStrategy.rollsBackOnFailure(change.container())) {
                // a new container exists to look at; without one, keeping the old stopped would help nobody
                throw new UpdateException(failed + "left as it is because " + UpdateStrategy.AUTO_ROLLBACK_LABEL
                        + "=false: the new container is " + name + ", the old one is stopped as " + kept, e, false);
            }
            List<String> done;
            try {
                done = putBack(facts, newId, inspect(oldId));
            } catch (RuntimeException r) {
                throw new UpdateException(failed + "restoring the old container " + shortId(oldId) + " was incomplete: "
                        + r.getMessage(), e, false);
            }
            throw new UpdateException(failed + "the old container was restored"
                    + (done.isEmpty() ? "" : " (" + String.join(", ", done) + ")"), e);
        }
        listener.stage("recreating", 100, name + " recreated on " + newImage + "; old container kept as " + kept);
        Map<String, String> applied = new HashMap<>(facts);
        applied.put(NEW_ID, newId);
        return new Applied(name, plan.previousImage(), newImage, applied);
    }

    /**
     * Works from the plan alone: without {@link #NEW_ID} the new container is whatever holds the old
     * name and is not the old container. Refuses when the old container is gone (already committed),
     * since removing the new one would then leave nothing.
     */
    @Override
    public void undo(Applied applied, StageListener stages) {
        StageListener listener = stages == null ? StageListener.NONE : stages;
        Map<String, String> facts = applied.undo();
        String oldId = required(facts, OLD_ID);
        String oldName = required(facts, OLD_NAME);
        listener.stage("recreating", 0, "bringing back " + oldName + " on " + applied.previousImage());
        JsonNode old;
        try {
            old = inspect(oldId);
        } catch (NotFoundException e) {
            throw new UpdateException("undoing the update of " + oldName + ": the old container " + shortId(oldId)
                    + " no longer exists (the update was committed); nothing was changed", e);
        } catch (RuntimeException e) {
            throw new UpdateException("undoing the update of " + oldName + ": inspecting the old container failed: "
                    + e.getMessage() + "; nothing was changed", e);
        }
        try {
            putBack(facts, facts.get(NEW_ID), old);
        } catch (RuntimeException e) {
            throw new UpdateException("undoing the update of " + oldName + " failed: " + e.getMessage(), e);
        }
        listener.stage("recreating", 100, oldName + " is back on " + applied.previousImage());
    }

    /**
     * Removes the old container kept by {@link #apply}. Refuses when the old container is under its
     * original name again (the change was undone or never made), as it is then the one in service.
     */
    @Override
    public void commit(Applied applied) {
        Map<String, String> facts = applied.undo();
        String oldId = required(facts, OLD_ID);
        String oldName = required(facts, OLD_NAME);
        JsonNode old;
        try {
            old = inspect(oldId);
        } catch (NotFoundException e) {
            return; // already gone
        } catch (RuntimeException e) {
            throw new UpdateException("committing the update of " + oldName + ": inspecting the kept container "
                    + facts.get(KEPT_NAME) + " failed: " + e.getMessage(), e);
        }
        if (nameOf(old).equals(oldName)) {
            throw new UpdateException("committing the update of " + oldName + ": the old container " + shortId(oldId)
                    + " is under its original name again, so it was not removed");
        }
        try {
            engine().remove(oldId, true);
        } catch (NotFoundException ignored) {
            // removed meanwhile
        } catch (RuntimeException e) {
            throw new UpdateException("removing the kept container " + facts.get(KEPT_NAME) + " failed: "
                    + e.getMessage(), e);
        }
    }

    /**
     * The process died somewhere in {@link #apply}. If the old container is gone the update had been
     * committed and the new one is left alone; otherwise the old one is put back under its name,
     * running if it was, and whatever else holds that name (a new container) is removed.
     */
    @Override
    public String recover(Applied plan) {
        Map<String, String> facts = plan.undo();
        String oldId = required(facts, OLD_ID);
        String oldName = required(facts, OLD_NAME);
        JsonNode old;
        try {
            old = inspect(oldId);
        } catch (NotFoundException e) {
            return "the old container " + shortId(oldId) + " of " + oldName
                    + " no longer exists, so the update had been committed; " + oldName + " was left as it is";
        } catch (RuntimeException e) {
            throw new UpdateException("recovering the update of " + oldName + ": inspecting the old container "
                    + shortId(oldId) + " failed: " + e.getMessage(), e);
        }
        String current = nameOf(old);
        String found = current.equals(oldName)
                ? "found " + oldName + " still under its name, " + (running(old) ? "running" : "stopped")
                : "found the old container of " + oldName + " under " + current;
        List<String> done;
        try {
            done = putBack(facts, null, old);
        } catch (RuntimeException e) {
            throw new UpdateException("recovering the update of " + oldName + ": " + found + "; " + e.getMessage(), e);
        }
        return found + "; " + (done.isEmpty() ? "nothing needed doing" : String.join(", ", done));
    }

    /**
     * Puts the old container back under its name, running if it was: removes the new container
     * ({@code newId}, or else whatever else holds the name), renames, starts. Skips what already
     * agrees. Returns what it did; throws at the first step that fails, saying what was done before.
     */
    private List<String> putBack(Map<String, String> facts, String newId, JsonNode old) {
        DockerEngine engine = engine();
        String oldId = required(facts, OLD_ID);
        String oldName = required(facts, OLD_NAME);
        String current = nameOf(old);
        List<String> done = new ArrayList<>();
        String step = "";
        try {
            if (!current.equals(oldName)) {
                String intruder = newId != null ? newId : holderOf(oldName);
                if (intruder != null && !intruder.equals(oldId)) {
                    step = "removing the new container " + shortId(intruder);
                    if (discard(intruder)) {
                        done.add("removed the new container " + shortId(intruder));
                    }
                }
                step = "renaming " + current + " back to " + oldName;
                engine.rename(oldId, oldName);
                done.add("renamed " + current + " back to " + oldName);
            }
            if (Boolean.parseBoolean(facts.get(WAS_RUNNING)) && !running(old)) {
                step = "starting " + oldName;
                engine.start(oldId);
                done.add("started " + oldName);
            }
        } catch (RuntimeException e) {
            throw new UpdateException(step + " failed: " + e.getMessage()
                    + (done.isEmpty() ? "" : " (after it " + String.join(", ", done) + ")"), e);
        }
        return done;
    }

    /** The name of container {@code id} now, or null when it is gone. */
    private String nameIfThere(String id) {
        try {
            return nameOf(inspect(id));
        } catch (NotFoundException e) {
            return null;
        }
    }

    /** The id of the container named exactly {@code name}, or null. */
    private String holderOf(String name) {
        try {
            JsonNode holder = inspect(name);
            // the engine also resolves id prefixes, and a name like "cafe" is one
            return nameOf(holder).equals(name) ? holder.path("Id").asText() : null;
        } catch (NotFoundException e) {
            return null;
        }
    }

    /** Stops (so it can shut down cleanly) and removes a container; false when it was already gone. */
    private boolean discard(String id) {
        try {
            engine().stop(id, STOP_TIMEOUT);
            engine().remove(id, true);
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    /**
     * The old image's inspect document, so its defaults are not pinned onto the new image; null when
     * the engine cannot say (then the container's settings are copied as they are).
     */
    private JsonNode imageOf(JsonNode container) {
        String imageId = container.path("Image").asText("");
        if (imageId.isEmpty()) {
            return null;
        }
        try {
            return JSON.readTree(engine().inspectImageJson(imageId));
        } catch (RuntimeException | JsonProcessingException e) {
            return null;
        }
    }

    private JsonNode inspect(String nameOrId) {
        String text = engine().inspectJson(nameOrId);
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new UpdateException("the engine's inspect document of " + nameOrId + " is not JSON: "
                    + e.getOriginalMessage(), e);
        }
    }

    private static String nameOf(JsonNode inspect) {
        return inspect.path("Name").asText().replaceFirst("^/", "");
    }

    private static boolean running(JsonNode inspect) {
        return inspect.path("State").path("Running").asBoolean();
    }

    private static String shortId(String id) {
        return id.length() > 12 ? id.substring(0, 12) : id;
    }

    private DockerEngine engine() {
        if (docker == null) {
            throw new IllegalStateException("strategy-recreate used before start(context)");
        }
        return docker;
    }

    private static String required(Map<String, String> facts, String key) {
        String v = facts.get(key);
        if (v == null || v.isEmpty()) {
            throw new UpdateException("the stored update plan has no " + key);
        }
        return v;
    }
}
