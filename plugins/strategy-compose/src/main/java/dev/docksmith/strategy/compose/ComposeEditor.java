package dev.docksmith.strategy.compose;

import dev.docksmith.api.DocksmithException;
import dev.docksmith.strategy.compose.TextEdits.TextFile;
import dev.docksmith.strategy.compose.TracedTemplate.Piece;

import java.nio.file.Path;
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
 *
 * <p>{@link TracedTemplate} finds which written characters give the part of the value to change,
 * {@link DecodedScalar} where they sit inside a quoted scalar, {@link TextEdits} replaces them.
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

        TracedTemplate traced;
        try {
            traced = TracedTemplate.trace(source.template(), source.substitutions());
        } catch (RuntimeException e) {
            throw cannot(service, "its value " + source.template() + " cannot be mapped to the file: " + e.getMessage());
        }
        String effective = traced.value();
        int lead = effective.length() - effective.stripLeading().length();
        if (!effective.strip().equals(old)) {
            throw cannot(service, "its value " + source.template() + " no longer gives " + old);
        }
        from += lead;
        to += lead;
        Piece piece = traced.owner(from, to);
        if (piece == null) {
            throw cannot(service, "the part to change spans several variables or text in " + source.template()
                    + "; edit it by hand");
        }
        int a = from - piece.effectiveStart();
        int b = to - piece.effectiveStart();
        return switch (piece.kind()) {
            case LITERAL -> planComposeLiteral(service, piece, a, b, replacement);
            case VARIABLE -> planVariable(service, piece.substitution(), a, b, replacement);
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
        TextFile file = TextEdits.load(source.file(), "compose file");
        if (span.end() > file.text().length() || !file.text().startsWith(span.sourceText(), span.start())
                || !file.text().substring(span.start(), span.end()).equals(span.sourceText())) {
            throw new DocksmithException("compose file " + source.file() + " changed since it was read (image of service "
                    + service.project().service() + ", line " + span.line() + ")");
        }
        DecodedScalar d = DecodedScalar.yaml(span.sourceText(), span.quoting());
        if (d == null || !d.text().equals(source.template())) {
            throw cannot(service, "its " + span.quoting().name().toLowerCase().replace('_', '-')
                    + " scalar on line " + span.line() + " is not written on one line without escapes");
        }
        int ta = piece.templateStart() + a;
        int tb = piece.templateStart() + b;
        if (!d.writtenAsIs(ta, tb)) {
            throw cannot(service, "the characters to change are escaped in the file (line " + span.line() + ")");
        }
        int start = span.start() + d.offset(ta);
        int end = span.start() + d.offset(tb);
        ComposeEdit.Target target = piece.inDefault() ? ComposeEdit.Target.COMPOSE_DEFAULT : ComposeEdit.Target.COMPOSE_IMAGE;
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
        TextFile file = TextEdits.load(envFile, "env file");
        Map<String, EnvEntry> entries = EnvFile.parse(envFile, file.text());
        EnvEntry entry = entries.get(s.name());
        if (entry == null || !entry.value().equals(s.value())) {
            throw new DocksmithException("env file " + envFile + " changed since it was read (variable " + s.name() + ")");
        }
        ScalarSpan span = entry.valueSpan();
        DecodedScalar d = DecodedScalar.env(span.sourceText(), span.quoting());
        if (d == null || !d.text().equals(entry.value()) || !d.writtenAsIs(a, b)) {
            throw new DocksmithException("cannot change variable " + s.name() + " in env file " + envFile + " (line "
                    + entry.line() + ") in place: the characters to change are escaped");
        }
        return splice(envFile, ComposeEdit.Target.ENV_FILE, file, span.start() + d.offset(a), span.start() + d.offset(b),
                replacement);
    }

    // ---- helpers -----------------------------------------------------------------------------------

    private static DocksmithException cannot(ComposeService service, String why) {
        return new DocksmithException("cannot change the image of service " + service.project().service()
                + " in compose file " + service.source().file() + " in place: " + why);
    }

    /** The edit replacing only the bytes of chars [start, end) of {@code file}. */
    private static ComposeEdit splice(Path path, ComposeEdit.Target target, TextFile file, int start, int end, String replacement) {
        return new ComposeEdit(path, target, TextEdits.line(file.text(), start), file.text().substring(start, end), replacement,
                TextEdits.byteOffset(file.text(), start), file.bytes(), TextEdits.splice(file, start, end, replacement));
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
}
