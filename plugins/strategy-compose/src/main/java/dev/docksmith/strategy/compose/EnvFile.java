package dev.docksmith.strategy.compose;

import dev.docksmith.api.DocksmithException;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Parses compose env files ({@code .env}): {@code KEY=value}, optional {@code export}, comments,
 * single quotes (literal), double quotes (with {@code \n}-style escapes, may span lines), and
 * {@code  # comment} after an unquoted value. A later entry, or a later file, wins.
 * Not done: {@code ${VAR}} inside an env file value (compose v2 expands it; kept literal here).
 */
final class EnvFile {
    static final long MAX_BYTES = 1024 * 1024;
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]*");

    private final Path file;
    private final String text;
    private int pos;
    private int line = 1;

    private EnvFile(Path file, String text) {
        this.file = file;
        this.text = text;
    }

    /** Every entry of the files that exist, a later file overriding an earlier one. Missing files are skipped (compose's {@code .env} is optional). */
    static Map<String, EnvEntry> read(List<Path> files) {
        Map<String, EnvEntry> entries = new LinkedHashMap<>();
        for (Path f : files) {
            if (Files.exists(f)) {
                entries.putAll(parse(f, readText(f)));
            }
        }
        return entries;
    }

    /** Parses one file's text. Errors name the file and the line, never a value (env files hold secrets). */
    static Map<String, EnvEntry> parse(Path file, String text) {
        EnvFile parser = new EnvFile(file, text);
        // Skip a byte order mark without removing it, so spans stay offsets into the file as it is.
        parser.pos = text.startsWith("\uFEFF") ? 1 : 0;
        return parser.entries();
    }

    private Map<String, EnvEntry> entries() {
        Map<String, EnvEntry> entries = new LinkedHashMap<>();
        while (pos < text.length()) {
            skipBlanks();
            if (pos >= text.length()) {
                break;
            }
            char c = text.charAt(pos);
            if (c == '\n') {
                pos++;
                line++;
            } else if (c == '#') {
                skipToEndOfLine();
            } else {
                EnvEntry e = entry();
                if (e != null) {
                    entries.put(e.name(), e);
                }
            }
        }
        return entries;
    }

    private EnvEntry entry() {
        int keyLine = line;
        int eol = endOfLine(pos);
        int eq = text.indexOf('=', pos);
        if (eq < 0 || eq > eol) {
            // A bare KEY means "pass KEY from the environment" for containers; it sets nothing for interpolation.
            skipToEndOfLine();
            return null;
        }
        String name = text.substring(pos, eq).strip();
        if (name.startsWith("export ") || name.startsWith("export\t")) {
            name = name.substring("export".length()).strip();
        }
        if (!NAME.matcher(name).matches()) {
            throw new DocksmithException("env file " + file + ": line " + keyLine + " is not KEY=VALUE");
        }
        pos = eq + 1;
        skipBlanks();
        int start = pos;
        int column = start - text.lastIndexOf('\n', start - 1);
        String value;
        ScalarSpan.Quoting quoting;
        char q = pos < text.length() ? text.charAt(pos) : '\n';
        if (q == '\'' || q == '"') {
            value = quoted(q, keyLine);
            quoting = q == '\'' ? ScalarSpan.Quoting.SINGLE_QUOTED : ScalarSpan.Quoting.DOUBLE_QUOTED;
            int end = pos;
            skipToEndOfLine(); // anything after the closing quote is a comment
            return new EnvEntry(name, value, file, keyLine, new ScalarSpan(start, end, keyLine, column, quoting, text.substring(start, end)));
        }
        int end = endOfLine(pos);
        int hash = unquotedCommentStart(start, end);
        int valueEnd = hash >= 0 ? hash : end;
        while (valueEnd > start && Character.isWhitespace(text.charAt(valueEnd - 1))) {
            valueEnd--;
        }
        value = text.substring(start, valueEnd);
        pos = end;
        return new EnvEntry(name, value, file, keyLine,
                new ScalarSpan(start, valueEnd, keyLine, column, ScalarSpan.Quoting.PLAIN, value));
    }

    /** Reads a quoted value starting at the opening quote; leaves {@code pos} after the closing one. */
    private String quoted(char quote, int keyLine) {
        StringBuilder out = new StringBuilder();
        pos++;
        while (pos < text.length()) {
            char c = text.charAt(pos++);
            if (c == quote) {
                return out.toString();
            }
            if (c == '\n') {
                line++;
            }
            if (c == '\\' && quote == '"' && pos < text.length()) {
                char n = text.charAt(pos++);
                switch (n) {
                    case 'n' -> out.append('\n');
                    case 'r' -> out.append('\r');
                    case 't' -> out.append('\t');
                    case '\\', '"', '$' -> out.append(n);
                    default -> out.append('\\').append(n);
                }
                continue;
            }
            out.append(c);
        }
        throw new DocksmithException("env file " + file + ": the quoted value on line " + keyLine + " is not closed");
    }

    /** A {@code #} starts a comment in an unquoted value only after whitespace, as in compose. */
    private int unquotedCommentStart(int start, int end) {
        for (int i = start; i < end; i++) {
            if (text.charAt(i) == '#' && (i == start || Character.isWhitespace(text.charAt(i - 1)))) {
                return i;
            }
        }
        return -1;
    }

    private void skipBlanks() {
        while (pos < text.length() && text.charAt(pos) != '\n' && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }

    private void skipToEndOfLine() {
        pos = endOfLine(pos);
    }

    private int endOfLine(int from) {
        int n = text.indexOf('\n', from);
        return n < 0 ? text.length() : n;
    }

    private static String readText(Path f) {
        try {
            if (!Files.isRegularFile(f) || Files.size(f) > MAX_BYTES) {
                throw new DocksmithException("env file " + f + " is not a regular file of at most 1 MiB");
            }
            return Files.readString(f, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return "";
        } catch (AccessDeniedException e) {
            throw new DocksmithException("env file " + f + " cannot be read: permission denied");
        } catch (CharacterCodingException e) {
            throw new DocksmithException("env file " + f + " is not UTF-8 text");
        } catch (IOException e) {
            throw new DocksmithException("env file " + f + " cannot be read: " + e.getMessage());
        }
    }
}
