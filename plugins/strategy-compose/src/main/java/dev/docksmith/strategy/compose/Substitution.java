package dev.docksmith.strategy.compose;

import java.nio.file.Path;

/**
 * One variable an interpolated value used, and where its value came from, so the write side knows
 * whether to edit the compose file, the {@code .env} file, or neither (process environment).
 *
 * @param name   the variable name
 * @param value  the text it contributed
 * @param origin where that text came from
 * @param file   the env file, when {@code origin} is {@link Origin#ENV_FILE}; else null
 * @param line   1-based line in {@code file}, when {@code origin} is {@link Origin#ENV_FILE}; else 0
 */
public record Substitution(String name, String value, Origin origin, Path file, int line) {
    public enum Origin {
        /** Docksmith's own process environment (wins over env files, as with compose). */
        ENVIRONMENT,
        /** A {@code .env} (or {@code --env-file}) entry. */
        ENV_FILE,
        /** The variable was unset (or empty) and the default written in the compose file was used. */
        DEFAULT,
        /** The variable was unset and had no default: it contributed the empty string. */
        UNSET
    }
}
