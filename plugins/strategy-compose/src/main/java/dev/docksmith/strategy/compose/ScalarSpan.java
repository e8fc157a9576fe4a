package dev.docksmith.strategy.compose;

/**
 * Exactly where a YAML scalar sits in its file, so the write side can replace those characters and
 * nothing else. Offsets are {@code char} indexes into the file decoded as UTF-8; lines and columns
 * are 1-based, for messages.
 *
 * @param start      offset of the scalar's first character (the opening quote when quoted)
 * @param end        offset just after its last character (after the closing quote)
 * @param line       line of {@code start}
 * @param column     column of {@code start}
 * @param quoting    how the scalar is written, which decides how a new value must be escaped
 * @param sourceText the characters between start and end as they are in the file; the write side
 *                   compares them before editing, to notice a file changed since it was read
 */
public record ScalarSpan(int start, int end, int line, int column, Quoting quoting, String sourceText) {
    /** YAML scalar styles, without leaking SnakeYAML types to callers. */
    public enum Quoting { PLAIN, SINGLE_QUOTED, DOUBLE_QUOTED, LITERAL, FOLDED }
}
