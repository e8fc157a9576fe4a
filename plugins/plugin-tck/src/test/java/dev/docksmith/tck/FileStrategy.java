package dev.docksmith.tck;

import dev.docksmith.api.Applied;
import dev.docksmith.api.Change;
import dev.docksmith.api.ContainerInfo;
import dev.docksmith.api.UpdateException;
import dev.docksmith.spi.StageListener;
import dev.docksmith.spi.UpdateStrategy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An update strategy that keeps the contract, over fakes: a container's definition is the file
 * {@code <name>.image} holding its image, and {@code engine} maps each container name to the image it
 * runs, which is what a recreate changes.
 */
class FileStrategy implements UpdateStrategy {
    protected final Path dir;
    protected final Map<String, String> engine;

    FileStrategy(Path dir, Map<String, String> engine) {
        this.dir = dir;
        this.engine = engine;
    }

    @Override
    public String name() {
        return "tck-file-strategy";
    }

    @Override
    public boolean supports(ContainerInfo container) {
        return Files.isRegularFile(definition(container.name()));
    }

    @Override
    public Optional<String> declaredImage(ContainerInfo container) {
        return Optional.of(read(definition(container.name())));
    }

    @Override
    public Applied plan(Change change) {
        String name = change.container().name();
        String previous = read(definition(name));
        return new Applied(name, change.container().image(), change.newImage(),
                Map.of("definition", previous, "running", engine.get(name)));
    }

    @Override
    public Applied apply(Change change, Applied plan, StageListener stages) {
        stages.stage("updating_definition", 10, "writing " + change.newImage());
        write(definition(plan.containerName()), change.newImage());
        stages.stage("recreating", 70, "recreating " + plan.containerName());
        engine.put(plan.containerName(), change.newImage());
        return plan;
    }

    @Override
    public void undo(Applied applied, StageListener stages) {
        write(definition(applied.containerName()), applied.undo().get("definition"));
        engine.put(applied.containerName(), applied.undo().get("running"));
    }

    @Override
    public String recover(Applied plan) {
        String name = plan.containerName();
        boolean file = !read(definition(name)).equals(plan.undo().get("definition"));
        boolean running = !Objects.equals(engine.get(name), plan.undo().get("running"));
        undo(plan, StageListener.NONE);
        return (file ? "restored the definition" : "the definition was as before") + "; "
                + (running ? "recreated " + name : name + " ran as before");
    }

    protected Path definition(String name) {
        return dir.resolve(name + ".image");
    }

    protected static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UpdateException("reading " + file + ": " + e.getMessage(), e);
        }
    }

    protected static void write(Path file, String content) {
        try {
            Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
