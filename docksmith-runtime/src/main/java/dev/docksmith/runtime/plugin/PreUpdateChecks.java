package dev.docksmith.runtime.plugin;

import dev.docksmith.api.BadRequestException;
import dev.docksmith.api.ContainerInfo;
import dev.docksmith.api.NotFoundException;
import dev.docksmith.api.UpdateCandidate;
import dev.docksmith.api.Verdict;
import dev.docksmith.spi.Store;
import dev.docksmith.spi.PreUpdateCheck;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Which pre-update check applies to a container (its {@code docksmith.pre-update-check} label, or an
 * assignment made through the API, which takes effect the same way) and running it. A plugin whose
 * methods throw what they should not (a bug, a class its jar lacks) is passed over with a warning
 * where others may answer, and blocks the update where it was the one to decide: one broken plugin
 * neither fails every listing nor lets an update through unchecked.
 */
public final class PreUpdateChecks {
    private static final System.Logger LOG = System.getLogger(PreUpdateChecks.class.getName());
    public static final String LABEL = "docksmith.pre-update-check";
    /** Store namespace of assignments: container name to check reference. */
    public static final String ASSIGNMENTS = "script-assignments";

    private final List<PreUpdateCheck> plugins;
    private final Store store;

    /** Takes the store, not its settings, because the store may still be opening at start-up. */
    public PreUpdateChecks(List<PreUpdateCheck> plugins, Store store) {
        this.plugins = List.copyOf(plugins);
        this.store = store;
    }

    /** The check a container names: an assignment wins over its label (it is the newer intent). */
    public Optional<String> checkFor(ContainerInfo container) {
        Optional<String> assigned = store.settings().get(ASSIGNMENTS, container.name());
        if (assigned.isPresent()) {
            return assigned;
        }
        String label = container.labels().get(LABEL);
        return label == null || label.isBlank() ? Optional.empty() : Optional.of(label.trim());
    }

    /**
     * The canonical name of a check reference, from the first plugin that knows it.
     *
     * @throws BadRequestException when a plugin refuses the reference (outside the scripts directory)
     * @throws NotFoundException when no plugin has it
     */
    public String resolve(String reference) {
        List<String> tried = new ArrayList<>();
        for (PreUpdateCheck plugin : plugins) {
            try {
                return plugin.resolve(reference);
            } catch (NotFoundException e) {
                tried.add(plugin.name() + ": " + e.getMessage());
            } catch (BadRequestException e) {
                throw e;
            } catch (RuntimeException | LinkageError e) {
                tried.add(plugin.name() + ": failed: " + e);
                LOG.log(System.Logger.Level.WARNING, "pre-update check plugin {0} passed over: resolve({1}) threw {2}",
                        plugin.name(), reference, e.toString());
            }
        }
        throw new NotFoundException("pre-update check not found: " + reference
                + (tried.isEmpty() ? " (no pre-update check plugin installed)" : " (" + String.join("; ", tried) + ")"));
    }

    /** Runs the container's check, if it has one; a check that cannot even be found blocks the update. */
    public Verdict run(ContainerInfo container, UpdateCandidate candidate) {
        Optional<String> reference = checkFor(container);
        return reference.isEmpty() ? Verdict.allow() : run(reference.get(), candidate);
    }

    /** Runs the check {@code reference} names (an update's script override); one that cannot be found blocks. */
    public Verdict run(String reference, UpdateCandidate candidate) {
        for (PreUpdateCheck plugin : plugins) {
            String name;
            try {
                name = plugin.resolve(reference);
            } catch (NotFoundException e) {
                continue;
            } catch (BadRequestException e) {
                return Verdict.block("pre-update check refused: " + e.getMessage());
            } catch (RuntimeException | LinkageError e) {
                LOG.log(System.Logger.Level.WARNING, "pre-update check plugin {0} passed over: resolve({1}) threw {2}",
                        plugin.name(), reference, e.toString());
                continue;
            }
            try {
                return plugin.run(name, candidate);
            } catch (RuntimeException | LinkageError e) {
                // the check was found but could not say yes: that is a no
                return Verdict.block("pre-update check " + name + " failed: " + e);
            }
        }
        return Verdict.block("pre-update check " + reference + " not found");
    }

    /** Every check any plugin offers. */
    public List<String> available() {
        List<String> all = new ArrayList<>();
        for (PreUpdateCheck plugin : plugins) {
            all.addAll(PluginCalls.orElse(plugin, () -> "available()", plugin::available, List.of(), "left out of the list"));
        }
        return all;
    }
}
