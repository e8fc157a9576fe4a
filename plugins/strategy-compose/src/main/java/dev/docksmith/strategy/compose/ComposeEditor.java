package dev.docksmith.strategy.compose;

import dev.docksmith.api.DocksmithException;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The write side: changes the image a compose service declares by editing, in place, only the
 * characters that spell it: the tag inside the {@code image:} scalar (the whole value when the
 * repository changes), or the {@code .env} value it substitutes, or the default text of a
 * {@code ${TAG:-1.25.3}}. Everything else in the file (comments, order, quoting, indentation, line
 * endings, byte order mark, final newline) stays byte for byte.
 *
 * <p>Use: {@link #plan} (reads, changes nothing), store {@link ComposeEdit#previousBytes()}, then
 * {@link #apply}; on a failed update, {@link #restore}.
 */
public final class ComposeEditor {
    /** Characters of an image reference that need no quoting or escaping in any YAML or env-file style. */
    private static final Pattern REFERENCE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/:@+-]*");

    /**
     * Plans the edit that makes {@code service} declare {@code newImage}. Reads the file to change,
     * writes nothing.
     *
     * @throws DocksmithException naming the file when the image comes from the process environment,
     *                            is assembled in a way that cannot be edited in place, or the file
     *                            changed since {@code service} was read
     */
    public ComposeEdit plan(ComposeService service, String newImage) {
        if (service.source() == null) {
            throw new DocksmithException("service " + service.project().service() + " has no image: to change (build only)");
        }
        ImageSource source = service.source();
        Path composeFile = source.file();
        if (newImage == null || !REFERENCE.matcher(newImage).matches() || newImage.contains("//")) {
            throw new DocksmithException("cannot write image reference '" + newImage + "' into compose file " + composeFile
                    + ": not a plain image reference");
        }
        String old = service.image();
        // The region of the effective value that changes, and what replaces it.
        Ref o = Ref.parse(old);
        Ref n = Ref.parse(newImage);
        int from = 0;
        if (o.repository.equals(n.repository)) {
            from = o.repository.length() + (o.hasTag && n.hasTag ? 1 : 0);
        }
        String replacement = newImage.substring(from);
        int to = old.length();

        List<Piece> pieces;
        try {
            pieces = new Pieces(source.template(), source.substitutions()).parse();
        } catch (RuntimeException e) {
            throw cannot(service, "its value " + source.template() + " cannot be mapped to the file: " + e.getMessage());
        }
        String effective = concat(pieces);
        int lead = effective.length() - effective.stripLeading().length();
        if (!effective.strip().equals(old)) {
            throw cannot(service, "its value " + source.template() + " no longer gives " + old);
        }
        from += lead;
        to += lead;
        Piece piece = owner(pieces, from, to);
        if (piece == null) {
            throw cannot(service, "the part to change spans several variables or text in " + source.template()
                    + "; edit it by hand");
        }
        int a = from - piece.effectiveStart;
        int b = to - piece.effectiveStart;
        return switch (piece.kind) {
            case LITERAL -> planComposeLiteral(service, piece, a, b, replacement);
            case VARIABLE -> planVariable(service, piece.substitution, a, b, replacement);
            case FIXED -> throw cannot(service, "the part to change is written as an escape ($$) in " + source.template());
        };
    }

    /**
     * Writes a planned edit: checks the file still holds exactly {@link ComposeEdit#previousBytes()},
     * then replaces it atomically (temporary file in the same directory, fsync, rename, fsync of the
     * directory).
     *
     * @throws DocksmithException naming the file: it changed since it was read, or cannot be written.
     *                            The file is then unchanged.
     */
    public void apply(ComposeEdit edit) {
        String what = edit.target() == ComposeEdit.Target.ENV_FILE ? "env file" : "compose file";
        AtomicFiles.replace(edit.file(), edit.previousBytes(), edit.newBytes(), what);
    }

    /** Checks, changing nothing, that {@code edit} could be written now: the directory accepts new files. */
    public void checkWritable(ComposeEdit edit) {
        String what = edit.target() == ComposeEdit.Target.ENV_FILE ? "env file" : "compose file";
        AtomicFiles.checkWritable(edit.file(), what);
    }

    /** Writes {@code previousBytes} back to {@code file}, whatever it holds now, the same atomic way. */
    public void restore(Path file, byte[] previousBytes) {
        AtomicFiles.replace(file, null, previousBytes, "file");
    }

    // ---- compose file ----------------------------------------------------------------------------

    private ComposeEdit planComposeLiteral(ComposeService service, Piece piece, int a, int b, String replacement) {
        ImageSource source = service.source();
        ScalarSpan span = source.span();
        Loaded file = load(source.file(), "compose file");
        if (span.end() > file.text.length() || !file.text.startsWith(span.sourceText(), span.start())
                || !file.text.substring(span.start(), span.end()).equals(span.sourceText())) {
            throw new DocksmithException("compose file " + source.file() + " changed since it was read (image of service "
                    + service.project().service() + ", line " + span.line() + ")");
        }
        Decoded d = Decoded.yaml(span.sourceText(), span.quoting());
        if (d == null || !d.text.equals(source.template())) {
            throw cannot(service, "its " + span.quoting().name().toLowerCase().replace('_', '-')
                    + " scalar on line " + span.line() + " is not written on one line without escapes");
        }
        int ta = piece.templateStart + a;
        int tb = piece.templateStart + b;
        if (!d.raw(ta, tb)) {
            throw cannot(service, "the characters to change are escaped in the file (line " + span.line() + ")");
        }
        int start = span.start() + d.offsets[ta];
        int end = span.start() + d.offsets[tb];
        ComposeEdit.Target target = piece.inDefault ? ComposeEdit.Target.COMPOSE_DEFAULT : ComposeEdit.Target.COMPOSE_IMAGE;
        return splice(source.file(), target, file, start, end, replacement);
    }

    // ---- variables ---------------------------------------------------------------------------------

    private ComposeEdit planVariable(ComposeService service, Substitution s, int a, int b, String replacement) {
        Path composeFile = service.source().file();
        switch (s.origin()) {
            case ENVIRONMENT -> throw new DocksmithException("cannot change the image of service " + service.project().service()
                    + " in compose file " + composeFile + ": it comes from variable " + s.name()
                    + ", set in the environment of the process running compose; Docksmith cannot change it (set "
                    + s.name() + " in the project's .env file, or change it where the environment is defined)");
            case ENV_FILE -> {
                return planEnvFile(service, s, a, b, replacement);
            }
            default -> throw cannot(service, "variable " + s.name() + " is unset");
        }
    }

    private ComposeEdit planEnvFile(ComposeService service, Substitution s, int a, int b, String replacement) {
        Path envFile = s.file();
        Loaded file = load(envFile, "env file");
        Map<String, EnvEntry> entries = EnvFile.parse(envFile, file.text);
        EnvEntry entry = entries.get(s.name());
        if (entry == null || !entry.value().equals(s.value())) {
            throw new DocksmithException("env file " + envFile + " changed since it was read (variable " + s.name() + ")");
        }
        ScalarSpan span = entry.valueSpan();
        Decoded d = Decoded.env(span.sourceText(), span.quoting());
        if (d == null || !d.text.equals(entry.value()) || !d.raw(a, b)) {
            throw new DocksmithException("cannot change variable " + s.name() + " in env file " + envFile + " (line "
                    + entry.line() + ") in place: the characters to change are escaped");
        }
        return splice(envFile, ComposeEdit.Target.ENV_FILE, file, span.start() + d.offsets[a], span.start() + d.offsets[b],
                replacement);
    }

    // ---- helpers -----------------------------------------------------------------------------------

    private static DocksmithException cannot(ComposeService service, String why) {
        return new DocksmithException("cannot change the image of service " + service.project().service()
                + " in compose file " + service.source().file() + " in place: " + why);
    }

    private record Loaded(byte[] bytes, String text) {
    }

    private static Loaded load(Path file, String what) {
        byte[] bytes = AtomicFiles.read(file, what);
        try {
            String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
            return new Loaded(bytes, text);
        } catch (CharacterCodingException e) {
            throw new DocksmithException(what + " " + file + " is not UTF-8 text");
        }
    }

    /** The file's bytes with only the bytes of chars [start, end) replaced. */
    private static ComposeEdit splice(Path path, ComposeEdit.Target target, Loaded file, int start, int end, String replacement) {
        int byteStart = file.text.substring(0, start).getBytes(StandardCharsets.UTF_8).length;
        int byteEnd = byteStart + file.text.substring(start, end).getBytes(StandardCharsets.UTF_8).length;
        byte[] insert = replacement.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[file.bytes.length - (byteEnd - byteStart) + insert.length];
        System.arraycopy(file.bytes, 0, out, 0, byteStart);
        System.arraycopy(insert, 0, out, byteStart, insert.length);
        System.arraycopy(file.bytes, byteEnd, out, byteStart + insert.length, file.bytes.length - byteEnd);
        int line = 1;
        for (int i = 0; i < start; i++) {
            if (file.text.charAt(i) == '\n') {
                line++;
            }
        }
        return new ComposeEdit(path, target, line, file.text.substring(start, end), replacement, byteStart, file.bytes, out);
    }

    private static String concat(List<Piece> pieces) {
        StringBuilder sb = new StringBuilder();
        pieces.forEach(p -> sb.append(p.text));
        return sb.toString();
    }

    /**
     * The one piece holding effective chars [from, to); for an insertion ({@code from == to}), the
     * piece holding the char before it (or the first piece, at the very start).
     */
    private static Piece owner(List<Piece> pieces, int from, int to) {
        for (Piece p : pieces) {
            int start = p.effectiveStart;
            int end = start + p.text.length();
            if (p.text.isEmpty()) {
                continue;
            }
            boolean holds = from < to ? start <= from && to <= end : (from == 0 ? start == 0 : start < from && from <= end);
            if (holds) {
                return p;
            }
        }
        return null;
    }

    /** An image reference split as Docker does: repository, then {@code :tag}, then {@code @digest}. */
    private record Ref(String repository, boolean hasTag) {
        static Ref parse(String ref) {
            int at = ref.indexOf('@');
            String name = at >= 0 ? ref.substring(0, at) : ref;
            int colon = name.lastIndexOf(':');
            if (colon > name.lastIndexOf('/')) {
                return new Ref(name.substring(0, colon), true);
            }
            return new Ref(name, false);
        }
    }

    // ---- template pieces ---------------------------------------------------------------------------

    enum Kind { LITERAL, VARIABLE, FIXED }

    /** Part of the effective value: template text copied 1:1, a variable's value, or a {@code $$}. */
    static final class Piece {
        final Kind kind;
        final String text;
        final int templateStart;
        final boolean inDefault;
        final Substitution substitution;
        int effectiveStart;

        Piece(Kind kind, String text, int templateStart, boolean inDefault, Substitution substitution) {
            this.kind = kind;
            this.text = text;
            this.templateStart = templateStart;
            this.inDefault = inDefault;
            this.substitution = substitution;
        }
    }

    /**
     * Splits a template the way {@link Interpolator} substitutes it, consuming the substitutions it
     * recorded in the same order, so each char of the value is traced to where it is written.
     */
    static final class Pieces {
        private final String template;
        private final List<Substitution> subs;
        private int next;
        private final List<Piece> out = new ArrayList<>();

        Pieces(String template, List<Substitution> subs) {
            this.template = template;
            this.subs = subs;
        }

        List<Piece> parse() {
            walk(0, template.length(), false);
            if (next != subs.size()) {
                throw new IllegalStateException("the recorded variables do not match the template");
            }
            int at = 0;
            for (Piece p : out) {
                p.effectiveStart = at;
                at += p.text.length();
            }
            return out;
        }

        private void walk(int from, int to, boolean inDefault) {
            int i = from;
            int lit = from;
            while (i < to) {
                char c = template.charAt(i);
                if (c != '$') {
                    i++;
                    continue;
                }
                literal(lit, i, inDefault);
                char n = i + 1 < to ? template.charAt(i + 1) : 0;
                if (n == '$') {
                    out.add(new Piece(Kind.FIXED, "$", i, inDefault, null));
                    i += 2;
                } else if (n == '{') {
                    int close = matchingBrace(i + 2, to);
                    braced(i + 2, close, inDefault);
                    i = close + 1;
                } else {
                    int end = nameEnd(i + 1, to);
                    variable(template.substring(i + 1, end));
                    i = end;
                }
                lit = i;
            }
            literal(lit, to, inDefault);
        }

        private void literal(int from, int to, boolean inDefault) {
            if (to > from) {
                out.add(new Piece(Kind.LITERAL, template.substring(from, to), from, inDefault, null));
            }
        }

        private void variable(String name) {
            Substitution s = take(name);
            out.add(new Piece(Kind.VARIABLE, s.value(), -1, false, s));
        }

        private void braced(int from, int close, boolean inDefault) {
            int nameEnd = nameEnd(from, close);
            String name = template.substring(from, nameEnd);
            if (nameEnd == close) {
                variable(name);
                return;
            }
            boolean colon = template.charAt(nameEnd) == ':';
            char op = template.charAt(colon ? nameEnd + 1 : nameEnd);
            int argFrom = nameEnd + (colon ? 2 : 1);
            Substitution peek = next < subs.size() ? subs.get(next) : null;
            boolean setHere = peek != null && peek.name().equals(name)
                    && (peek.origin() == Substitution.Origin.ENVIRONMENT || peek.origin() == Substitution.Origin.ENV_FILE);
            switch (op) {
                case '-' -> {
                    if (setHere) {
                        variable(name);
                    } else {
                        int before = out.size();
                        walk(argFrom, close, true);
                        Substitution s = take(name);
                        if (s.origin() != Substitution.Origin.DEFAULT) {
                            throw new IllegalStateException("expected the default of " + name);
                        }
                        check(before, s.value());
                    }
                }
                case '+' -> {
                    if (peek != null && peek.name().equals(name) && peek.origin() == Substitution.Origin.UNSET) {
                        next++;
                    } else {
                        int before = out.size();
                        walk(argFrom, close, true);
                        Substitution s = take(name);
                        check(before, s.value());
                    }
                }
                case '?' -> variable(name);
                default -> throw new IllegalStateException("unknown operator " + op);
            }
        }

        /** The pieces added since {@code before} must spell the value the interpolator recorded. */
        private void check(int before, String value) {
            StringBuilder sb = new StringBuilder();
            out.subList(before, out.size()).forEach(p -> sb.append(p.text));
            if (!sb.toString().equals(value)) {
                throw new IllegalStateException("the default does not give " + value);
            }
        }

        private Substitution take(String name) {
            if (next >= subs.size() || !subs.get(next).name().equals(name)) {
                throw new IllegalStateException("the recorded variables do not match the template at " + name);
            }
            return subs.get(next++);
        }

        private int matchingBrace(int from, int to) {
            int depth = 1;
            for (int i = from; i < to; i++) {
                char c = template.charAt(i);
                if (c == '$' && i + 1 < to && (template.charAt(i + 1) == '{' || template.charAt(i + 1) == '$')) {
                    depth += template.charAt(i + 1) == '{' ? 1 : 0;
                    i++;
                } else if (c == '}' && --depth == 0) {
                    return i;
                }
            }
            throw new IllegalStateException("unclosed ${");
        }

        private int nameEnd(int from, int to) {
            int i = from;
            while (i < to) {
                char c = template.charAt(i);
                if (c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (i > from && c >= '0' && c <= '9')) {
                    i++;
                } else {
                    break;
                }
            }
            return i;
        }
    }

    // ---- scalar source <-> value -------------------------------------------------------------------

    /**
     * A scalar's value with, for each char, where it is written in the scalar's source text, and
     * whether it is written as itself (so it can be replaced by other plain chars).
     */
    static final class Decoded {
        final String text;
        final int[] offsets;
        final boolean[] raw;

        private Decoded(String text, int[] offsets, boolean[] raw) {
            this.text = text;
            this.offsets = offsets;
            this.raw = raw;
        }

        /** True when value chars [a, b) are each written as themselves, contiguously. */
        boolean raw(int a, int b) {
            if (a < 0 || b > text.length() || a > b) {
                return false;
            }
            for (int i = a; i < b; i++) {
                if (!raw[i]) {
                    return false;
                }
            }
            return true;
        }

        /** A YAML scalar on one line; null for block scalars and multi-line (folded) ones. */
        static Decoded yaml(String source, ScalarSpan.Quoting quoting) {
            if (source.indexOf('\n') >= 0 || source.indexOf('\r') >= 0) {
                return null;
            }
            return switch (quoting) {
                case PLAIN -> decode(source, 0, source.length(), (char) 0, false, false);
                case SINGLE_QUOTED -> decode(source, 1, source.length() - 1, '\'', true, false);
                case DOUBLE_QUOTED -> decode(source, 1, source.length() - 1, '"', false, true);
                default -> null;
            };
        }

        /** An env file value as {@link EnvFile} reads it. */
        static Decoded env(String source, ScalarSpan.Quoting quoting) {
            return switch (quoting) {
                case PLAIN -> decode(source, 0, source.length(), (char) 0, false, false);
                case SINGLE_QUOTED -> decode(source, 1, source.length() - 1, '\'', false, false);
                case DOUBLE_QUOTED -> decode(source, 1, source.length() - 1, '"', false, true);
                default -> null;
            };
        }

        private static Decoded decode(String s, int from, int to, char quote, boolean doubledQuote, boolean backslash) {
            if (to < from) {
                return null;
            }
            StringBuilder text = new StringBuilder();
            int[] offsets = new int[to - from + 1];
            boolean[] raw = new boolean[to - from];
            int n = 0;
            int i = from;
            while (i < to) {
                char c = s.charAt(i);
                offsets[n] = i;
                if (doubledQuote && c == quote && i + 1 < to && s.charAt(i + 1) == quote) {
                    text.append(quote);
                    raw[n++] = false;
                    i += 2;
                } else if (backslash && c == '\\') {
                    if (i + 1 >= to) {
                        return null;
                    }
                    char e = s.charAt(i + 1);
                    if (e != '\\' && e != '"' && e != '/' && e != '$') {
                        return null; // \n, \t, \x..: not worth mapping for an image reference
                    }
                    text.append(e);
                    raw[n++] = false;
                    i += 2;
                } else {
                    text.append(c);
                    raw[n++] = true;
                    i++;
                }
            }
            offsets[n] = to;
            return new Decoded(text.toString(), Arrays.copyOf(offsets, n + 1), Arrays.copyOf(raw, n));
        }
    }
}
