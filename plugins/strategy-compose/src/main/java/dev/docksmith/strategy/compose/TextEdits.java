package dev.docksmith.strategy.compose;

import dev.docksmith.api.DocksmithException;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The text operations both compose editors build on: loading a file as strict UTF-8, replacing
 * characters so that every other byte stays as it was, and inserting or deleting whole lines in the
 * file's own line-break style. Offsets are {@code char} indexes into the decoded text.
 */
final class TextEdits {
    private TextEdits() {
    }

    /** A file's bytes and the same bytes decoded, so an edit planned on the text can be made on the bytes. */
    record TextFile(byte[] bytes, String text) {
    }

    /** Replaces {@code [start, end)} with {@code text}; an insertion when they are equal. */
    record Edit(int start, int end, String text) {
    }

    /** Reads a file as strict UTF-8; {@code what} names it in messages ("compose file", "env file"). */
    static TextFile load(Path file, String what) {
        byte[] bytes = AtomicFiles.read(file, what);
        return new TextFile(bytes, decode(file, bytes, what));
    }

    /** Decodes a file's bytes as strict UTF-8, as compose reads it: a file that is not is refused, never patched up. */
    static String decode(Path file, byte[] bytes, String what) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new DocksmithException(what + " " + file + " is not UTF-8 text");
        }
    }

    /** The file's bytes with only the bytes of chars [start, end) replaced. */
    static byte[] splice(TextFile file, int start, int end, String replacement) {
        int byteStart = byteOffset(file.text(), start);
        int byteEnd = byteStart + file.text().substring(start, end).getBytes(StandardCharsets.UTF_8).length;
        byte[] insert = replacement.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[file.bytes().length - (byteEnd - byteStart) + insert.length];
        System.arraycopy(file.bytes(), 0, out, 0, byteStart);
        System.arraycopy(insert, 0, out, byteStart, insert.length);
        System.arraycopy(file.bytes(), byteEnd, out, byteStart + insert.length, file.bytes().length - byteEnd);
        return out;
    }

    /** Where char {@code at} starts in the text's UTF-8 bytes. */
    static int byteOffset(String text, int at) {
        return text.substring(0, at).getBytes(StandardCharsets.UTF_8).length;
    }

    /**
     * Applies edits made against the same text.
     *
     * @throws IllegalArgumentException when two edits overlap
     */
    static String apply(String text, List<Edit> edits) {
        // Back to front, so earlier offsets stay valid; at one offset the longer edit goes first, so an
        // insertion lands before a deletion that starts there rather than inside it.
        List<Edit> sorted = new ArrayList<>(edits);
        sorted.sort(Comparator.comparingInt(Edit::start).thenComparingInt(Edit::end).reversed());
        StringBuilder sb = new StringBuilder(text);
        int limit = Integer.MAX_VALUE;
        for (Edit e : sorted) {
            if (e.end() > limit) {
                throw new IllegalArgumentException("the edits overlap");
            }
            sb.replace(e.start(), e.end(), e.text());
            limit = e.start();
        }
        return sb.toString();
    }

    /** Deletes whole lines, from the one holding {@code from} to the one holding {@code to} (its line break included). */
    static Edit deleteLines(String text, int from, int to) {
        int start = lineStart(text, from);
        int end = lineEndAfter(text, to);
        if (end == text.length() && !text.endsWith("\n") && start > 0) {
            // The last line has no line break: take the one before it instead, so the file still ends as it did.
            start--;
            if (start > 0 && text.charAt(start - 1) == '\r') {
                start--;
            }
        }
        return new Edit(start, end, "");
    }

    /** Inserts lines at a line start, each ended with the file's line break (at the end of a file without a final one, before them). */
    static Edit insertLines(String text, int at, List<String> lines) {
        String eol = lineBreak(text);
        if (at == text.length() && at > 0 && text.charAt(at - 1) != '\n') {
            return new Edit(at, at, eol + String.join(eol, lines));
        }
        StringBuilder sb = new StringBuilder();
        lines.forEach(l -> sb.append(l).append(eol));
        return new Edit(at, at, sb.toString());
    }

    /**
     * Where a block starting at {@code from} (its keys at {@code column}) ends: after its last line
     * with content. Comment and blank lines after it are left to what follows; a line indented less
     * than the keys ends the block. Comments are YAML's and env files' {@code #}.
     */
    static int endOfBlock(String text, int from, int column) {
        int end = lineEndAfter(text, from + 1);
        int at = end;
        while (at < text.length()) {
            int next = lineEndAfter(text, at + 1);
            String line = text.substring(at, next).stripTrailing();
            String content = line.stripLeading();
            if (!content.isEmpty() && !content.startsWith("#")) {
                if (line.length() - content.length() < column) {
                    break;
                }
                end = next;
            }
            at = next;
        }
        return end;
    }

    /** The file's line break, taken from its first line: CRLF files stay CRLF. */
    static String lineBreak(String text) {
        int nl = text.indexOf('\n');
        return nl > 0 && text.charAt(nl - 1) == '\r' ? "\r\n" : "\n";
    }

    /** The 1-based line holding char {@code at}, for messages. */
    static int line(String text, int at) {
        int line = 1;
        for (int i = 0; i < at; i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }

    static int lineStart(String text, int at) {
        return text.lastIndexOf('\n', at - 1) + 1;
    }

    /** The start of the line after the one holding the character before {@code end} (or the end of the text). */
    static int lineEndAfter(String text, int end) {
        int nl = text.indexOf('\n', Math.max(end - 1, 0));
        return nl < 0 ? text.length() : nl + 1;
    }

    /** The 0-based column of char {@code at}. */
    static int column(String text, int at) {
        return at - lineStart(text, at);
    }
}
