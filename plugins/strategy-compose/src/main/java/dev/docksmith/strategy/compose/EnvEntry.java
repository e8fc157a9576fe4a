package dev.docksmith.strategy.compose;

import java.nio.file.Path;

/**
 * One {@code KEY=value} line of an env file.
 *
 * @param name      the variable
 * @param value     its value, quotes removed and escapes applied
 * @param file      the env file
 * @param line      1-based line of the key
 * @param valueSpan where the value sits in the file (quotes included), for editing it in place
 */
public record EnvEntry(String name, String value, Path file, int line, ScalarSpan valueSpan) {
}
