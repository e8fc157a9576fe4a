package dev.docksmith.strategy.compose;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;

/**
 * A planned in-place edit of one file, made by {@link ComposeEditor#plan}: nothing is written until
 * {@link ComposeEditor#apply}. The caller stores {@link #previousBytes()} (for rollback with
 * {@link ComposeEditor#restore}) before applying.
 *
 * @param file          the file to change: the compose file, or the env file the value comes from
 * @param target        what in that file changes
 * @param line          1-based line of the changed characters, for messages
 * @param oldText       the characters replaced, as written in the file
 * @param newText       the characters written instead
 * @param byteOffset    where {@code oldText} starts in {@code previousBytes}
 * @param previousBytes the whole file as it was when planned
 * @param newBytes      the whole file after the edit: {@code previousBytes} with only those bytes changed
 */
public record ComposeEdit(Path file, Target target, int line, String oldText, String newText, int byteOffset,
                          byte[] previousBytes, byte[] newBytes) {
    /** Which characters the edit changes. */
    public enum Target {
        /** The literal text of the {@code image:} value in the compose file. */
        COMPOSE_IMAGE,
        /** The default of a {@code ${VAR:-default}} in the compose file's {@code image:} value. */
        COMPOSE_DEFAULT,
        /** A {@code KEY=value} in the project's env file, which the {@code image:} value substitutes. */
        ENV_FILE
    }

    public ComposeEdit {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(target, "target");
        previousBytes = previousBytes.clone();
        newBytes = newBytes.clone();
    }

    @Override
    public byte[] previousBytes() {
        return previousBytes.clone();
    }

    @Override
    public byte[] newBytes() {
        return newBytes.clone();
    }

    /** True when applying would not change the file. */
    public boolean unchanged() {
        return Arrays.equals(previousBytes, newBytes);
    }

    /** For logs and operation records: {@code compose.yml line 4: 1.25.3 -> 1.26.0}. */
    public String describe() {
        return file + " line " + line + ": " + oldText + " -> " + newText;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ComposeEdit e && file.equals(e.file) && target == e.target && line == e.line
                && oldText.equals(e.oldText) && newText.equals(e.newText) && byteOffset == e.byteOffset
                && Arrays.equals(previousBytes, e.previousBytes) && Arrays.equals(newBytes, e.newBytes);
    }

    @Override
    public int hashCode() {
        return Objects.hash(file, target, line, oldText, newText, byteOffset, Arrays.hashCode(newBytes));
    }

    @Override
    public String toString() {
        return "ComposeEdit[" + target + " " + describe() + "]";
    }
}
