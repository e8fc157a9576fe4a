package dev.docksmith.strategy.compose;

import java.util.Map;
import java.util.Optional;

/**
 * The variables compose substitutes into a project's files: the process environment first, then
 * the project's env files, as compose does (a variable set in the shell wins over {@code .env}).
 */
final class Variables {
    private final Map<String, String> environment;
    private final Map<String, EnvEntry> envFile;

    Variables(Map<String, String> environment, Map<String, EnvEntry> envFile) {
        this.environment = Map.copyOf(environment);
        this.envFile = Map.copyOf(envFile);
    }

    /** The variable's value and origin, or empty when neither source sets it. */
    Optional<Substitution> lookup(String name) {
        String value = environment.get(name);
        if (value != null) {
            return Optional.of(new Substitution(name, value, Substitution.Origin.ENVIRONMENT, null, 0));
        }
        EnvEntry entry = envFile.get(name);
        if (entry != null) {
            return Optional.of(new Substitution(name, entry.value(), Substitution.Origin.ENV_FILE, entry.file(), entry.line()));
        }
        return Optional.empty();
    }
}
