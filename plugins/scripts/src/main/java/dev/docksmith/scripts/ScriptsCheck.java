package dev.docksmith.scripts;

import dev.docksmith.api.DocksmithException;
import dev.docksmith.api.UpdateCandidate;
import dev.docksmith.api.Verdict;
import dev.docksmith.spi.PluginContext;
import dev.docksmith.spi.PreUpdateCheck;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Pre-update checks that are executables in the scripts directory. Exit 0 allows the update;
 * anything else blocks it, with the script's last output lines as the reason.
 */
public final class ScriptsCheck implements PreUpdateCheck {
    public static final String DIR_SETTING = "DOCKSMITH_SCRIPTS_DIR";
    public static final String TIMEOUT_SETTING = "DOCKSMITH_SCRIPT_TIMEOUT";
    /** Where the data directory is; the default scripts directory is {@code scripts} inside it. */
    public static final String DATA_SETTING = "DOCKSMITH_DATA";
    /**
     * {@code scripts} in the default data directory. Not the working directory's {@code scripts}: run from
     * a checkout, that is the project's own (start.sh, test.sh), which would be listed as pre-update checks.
     */
    public static final Path DEFAULT_DIR = Path.of("data", "scripts");
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    /** Used when Docksmith's own environment has no PATH, so {@code #!/usr/bin/env sh} still works. */
    static final String FALLBACK_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private volatile ScriptsDirectory directory;
    private volatile ScriptRunner runner;
    private volatile System.Logger log = System.getLogger(ScriptsCheck.class.getName());

    /** For ServiceLoader; {@link #start} reads the real directory and timeout. */
    public ScriptsCheck() {
        this(DEFAULT_DIR, DEFAULT_TIMEOUT);
    }

    /** With an explicit directory and time limit (tests, embedding). */
    public ScriptsCheck(Path directory, Duration timeout) {
        this.directory = new ScriptsDirectory(directory);
        this.runner = new ScriptRunner(timeout);
    }

    @Override
    public String name() {
        return "scripts";
    }

    /**
     * Reads {@code DOCKSMITH_SCRIPTS_DIR} (default {@code scripts} in {@code DOCKSMITH_DATA}, itself
     * {@code ./data} by default) and {@code DOCKSMITH_SCRIPT_TIMEOUT}
     * (default 30s).
     *
     * @throws IllegalArgumentException naming the setting when the timeout is not a positive duration:
     *                                  running scripts with no limit is not a safe fallback
     */
    @Override
    public void start(PluginContext context) {
        log = context.logger(ScriptsCheck.class);
        Duration timeout;
        try {
            timeout = context.settings().duration(TIMEOUT_SETTING).orElse(DEFAULT_TIMEOUT);
            runner = new ScriptRunner(timeout);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(TIMEOUT_SETTING + ": " + e.getMessage());
        }
        directory = new ScriptsDirectory(context.settings().path(DIR_SETTING).orElseGet(
                () -> context.settings().path(DATA_SETTING).map(data -> data.resolve("scripts")).orElse(DEFAULT_DIR)));
        log.log(System.Logger.Level.INFO, "pre-update scripts from {0}, time limit {1}", directory.root(), format(timeout));
    }

    @Override
    public List<String> available() {
        return directory.list();
    }

    @Override
    public String resolve(String reference) {
        return directory.resolve(reference).name();
    }

    @Override
    public Verdict run(String check, UpdateCandidate candidate) {
        String container = candidate.container() == null ? "" : candidate.container().name();
        Script script;
        try {
            script = directory.resolve(check); // again: the file may have changed since it was assigned
        } catch (DocksmithException e) {
            log.log(System.Logger.Level.WARNING, "pre-update script {0} for {1} refused: {2}", check, container, e.getMessage());
            return Verdict.block(e.getMessage());
        }
        ScriptResult r = runner.run(script.executable(), directory.root(), environment(candidate));
        long ms = r.elapsed().toMillis();
        log.log(r.outcome() == ScriptResult.Outcome.EXITED && r.exitCode() == 0 ? System.Logger.Level.INFO : System.Logger.Level.WARNING,
                "pre-update script {0} for {1}: {2} in {3} ms", script.name(), container, describe(r), String.valueOf(ms));
        if (r.outcome() == ScriptResult.Outcome.EXITED && r.exitCode() == 0) {
            return Verdict.allow();
        }
        return Verdict.block(reason(script.name(), r));
    }

    private Map<String, String> environment(UpdateCandidate candidate) {
        Map<String, String> env = new LinkedHashMap<>();
        String path = System.getenv("PATH");
        env.put("PATH", path == null || path.isBlank() ? FALLBACK_PATH : path);
        var c = candidate.container();
        env.put("CONTAINER_NAME", c == null ? "" : nullToEmpty(c.name()));
        env.put("CONTAINER_ID", c == null ? "" : nullToEmpty(c.id()));
        env.put("IMAGE", nullToEmpty(candidate.image() != null ? candidate.image() : c == null ? null : c.image()));
        env.put("CURRENT_VERSION", nullToEmpty(candidate.currentVersion()));
        env.put("TARGET_VERSION", nullToEmpty(candidate.targetVersion()));
        return env;
    }

    private String reason(String name, ScriptResult r) {
        String head = switch (r.outcome()) {
            case EXITED -> "pre-update script " + name + " exited with code " + r.exitCode();
            case TIMED_OUT -> "pre-update script " + name + " timed out after " + format(runner.timeout());
            case NOT_STARTED -> "pre-update script " + name + " could not be started: " + r.failure();
            case INTERRUPTED -> "pre-update script " + name + " was interrupted (Docksmith is stopping)";
        };
        return r.lastLines().isEmpty() ? head : head + ": " + String.join("\n", r.lastLines());
    }

    private static String describe(ScriptResult r) {
        return switch (r.outcome()) {
            case EXITED -> "exit code " + r.exitCode();
            case TIMED_OUT -> "timed out, killed";
            case NOT_STARTED -> "not started (" + r.failure() + ")";
            case INTERRUPTED -> "interrupted, killed";
        };
    }

    /** {@code 30s} or {@code 1500ms}: the form the setting is written in. */
    static String format(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
