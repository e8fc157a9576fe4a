package dev.docksmith.strategy.compose;

import dev.docksmith.api.DocksmithException;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * One YAML file read as text and composed into a node tree, keeping source positions (a loaded
 * {@code Map} would lose them, and the write side needs them to edit in place).
 *
 * @param file the file
 * @param text its content, decoded as UTF-8
 * @param root the document's root node, or null for an empty document
 */
record YamlDocument(Path file, String text, Node root) {
    /** Compose files are small; anything bigger is not one, and is not worth holding in memory. */
    static final long MAX_BYTES = 4L * 1024 * 1024;

    /**
     * Reads and composes a file.
     *
     * @throws DocksmithException naming the file and why it cannot be used. Parser messages carry
     *                            only the problem and its position, never a snippet of the file, so an
     *                            error about a file that is not YAML does not echo its content.
     */
    static YamlDocument read(Path file) {
        return parse(file, readText(file));
    }

    /**
     * Composes text that is, or will be, {@code file}'s content (the write side checks an edit it
     * planned before writing it).
     *
     * @throws DocksmithException as {@link #read}
     */
    static YamlDocument parse(Path file, String text) {
        LoadSettings settings = LoadSettings.builder().setLabel(file.toString()).setUseMarks(true).build();
        try {
            return new YamlDocument(file, text, new Compose(settings).composeString(text).orElse(null));
        } catch (MarkedYamlEngineException e) {
            String problem = e.getProblem() != null ? e.getProblem() : e.getContext();
            String where = e.getProblemMark().or(e::getContextMark).map(YamlDocument::position).orElse("");
            throw new DocksmithException("compose file " + file + " is not valid YAML: " + problem + where);
        } catch (YamlEngineException e) {
            throw new DocksmithException("compose file " + file + " is not valid YAML: " + e.getMessage());
        }
    }

    /** Where a scalar sits in this document's text. */
    ScalarSpan span(ScalarNode node) {
        Mark start = node.getStartMark().orElseThrow();
        int from = start(node);
        int to = end(node);
        return new ScalarSpan(from, to, start.getLine() + 1, start.getColumn() + 1, quoting(node), text.substring(from, to));
    }

    /** Offset in {@link #text} of a node's first character (a flow collection's opening bracket). */
    int start(Node node) {
        return offset(node.getStartMark().orElseThrow());
    }

    /** Offset in {@link #text} just after a node's last character (a flow collection's closing bracket). */
    int end(Node node) {
        return offset(node.getEndMark().orElseThrow());
    }

    private int offset(Mark mark) {
        // SnakeYAML counts code points; the write side edits a Java String, which counts chars.
        return text.offsetByCodePoints(0, mark.getIndex());
    }

    private static ScalarSpan.Quoting quoting(ScalarNode node) {
        return switch (node.getScalarStyle()) {
            case SINGLE_QUOTED -> ScalarSpan.Quoting.SINGLE_QUOTED;
            case DOUBLE_QUOTED -> ScalarSpan.Quoting.DOUBLE_QUOTED;
            case LITERAL -> ScalarSpan.Quoting.LITERAL;
            case FOLDED -> ScalarSpan.Quoting.FOLDED;
            default -> ScalarSpan.Quoting.PLAIN;
        };
    }

    private static String position(Mark mark) {
        return " (line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1) + ")";
    }

    private static String readText(Path file) {
        try {
            if (!Files.exists(file)) {
                throw new DocksmithException("compose file " + file + " does not exist");
            }
            if (!Files.isRegularFile(file)) {
                throw new DocksmithException("compose file " + file + " is not a regular file");
            }
            if (Files.size(file) > MAX_BYTES) {
                throw new DocksmithException("compose file " + file + " is larger than " + MAX_BYTES / (1024 * 1024) + " MiB");
            }
            return TextEdits.decode(file, Files.readAllBytes(file), "compose file");
        } catch (NoSuchFileException e) {
            throw new DocksmithException("compose file " + file + " does not exist");
        } catch (AccessDeniedException e) {
            throw new DocksmithException("compose file " + file + " cannot be read: permission denied");
        } catch (IOException e) {
            throw new DocksmithException("compose file " + file + " cannot be read: " + e.getMessage());
        }
    }
}
