package dev.docksmith.strategy.compose;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Compose's variable substitution: {@code $$} (a literal {@code $}), {@code $VAR}, {@code ${VAR}},
 * {@code ${VAR:-default}} / {@code ${VAR-default}} (default when unset or empty / when unset),
 * {@code ${VAR:?error}} / {@code ${VAR?error}} (fail), {@code ${VAR:+alt}} / {@code ${VAR+alt}}, with
 * substitutions nested in defaults. It records each variable it used and where the value came from.
 */
final class Interpolator {
    private final Function<String, Optional<Substitution>> lookup;

    Interpolator(Function<String, Optional<Substitution>> lookup) {
        this.lookup = lookup;
    }

    /** The substituted text and the variables used for it. */
    record Result(String value, List<Substitution> substitutions) {
    }

    /** A template compose would refuse, or a required variable that is missing. */
    static final class InterpolationException extends IllegalArgumentException {
        InterpolationException(String message) {
            super(message);
        }
    }

    /** Substitutes every variable in {@code template}. */
    Result interpolate(String template) {
        List<Substitution> used = new ArrayList<>();
        return new Result(substitute(template, used), List.copyOf(used));
    }

    private String substitute(String s, List<Substitution> used) {
        StringBuilder out = new StringBuilder(s.length());
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c != '$') {
                out.append(c);
                i++;
                continue;
            }
            char next = i + 1 < s.length() ? s.charAt(i + 1) : 0;
            if (next == '$') {
                out.append('$');
                i += 2;
            } else if (next == '{') {
                int close = matchingBrace(s, i + 2);
                out.append(braced(s.substring(i + 2, close), used));
                i = close + 1;
            } else if (isNameStart(next)) {
                int end = nameEnd(s, i + 1);
                out.append(plain(s.substring(i + 1, end), used));
                i = end;
            } else {
                throw new InterpolationException("invalid interpolation format in \"" + s + "\": a '$' must start $VAR or ${VAR}; write $$ for a literal $");
            }
        }
        return out.toString();
    }

    private String plain(String name, List<Substitution> used) {
        Optional<Substitution> found = lookup.apply(name);
        Substitution s = found.orElse(new Substitution(name, "", Substitution.Origin.UNSET, null, 0));
        used.add(s);
        return s.value();
    }

    private String braced(String body, List<Substitution> used) {
        int nameEnd = isNameStart(body.isEmpty() ? 0 : body.charAt(0)) ? nameEnd(body, 0) : 0;
        if (nameEnd == 0) {
            throw new InterpolationException("invalid interpolation format in \"${" + body + "}\": no variable name");
        }
        String name = body.substring(0, nameEnd);
        String rest = body.substring(nameEnd);
        if (rest.isEmpty()) {
            return plain(name, used);
        }
        boolean colon = rest.startsWith(":");
        String op = colon ? rest.substring(0, Math.min(2, rest.length())) : rest.substring(0, 1);
        String arg = rest.substring(op.length());
        Optional<Substitution> found = lookup.apply(name);
        // With a colon, an empty value counts as unset.
        boolean set = found.isPresent() && (!colon || !found.get().value().isEmpty());
        switch (op.charAt(op.length() - 1)) {
            case '-' -> {
                if (set) {
                    used.add(found.get());
                    return found.get().value();
                }
                String value = substitute(arg, used);
                used.add(new Substitution(name, value, Substitution.Origin.DEFAULT, null, 0));
                return value;
            }
            case '+' -> {
                if (!set) {
                    used.add(new Substitution(name, "", Substitution.Origin.UNSET, null, 0));
                    return "";
                }
                String value = substitute(arg, used);
                used.add(new Substitution(name, value, Substitution.Origin.DEFAULT, null, 0));
                return value;
            }
            case '?' -> {
                if (!set) {
                    throw new InterpolationException("required variable " + name + " is missing a value"
                            + (arg.isEmpty() ? "" : ": " + arg));
                }
                used.add(found.get());
                return found.get().value();
            }
            default -> throw new InterpolationException("invalid interpolation format in \"${" + body + "}\"");
        }
    }

    /** Index of the '}' closing a '${' whose body starts at {@code from}, counting nested '${'. */
    private static int matchingBrace(String s, int from) {
        int depth = 1;
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '$' && i + 1 < s.length() && (s.charAt(i + 1) == '{' || s.charAt(i + 1) == '$')) {
                depth += s.charAt(i + 1) == '{' ? 1 : 0;
                i++;
            } else if (c == '}' && --depth == 0) {
                return i;
            }
        }
        throw new InterpolationException("invalid interpolation format in \"" + s + "\": unclosed ${");
    }

    private static boolean isNameStart(char c) {
        return c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    }

    private static int nameEnd(String s, int from) {
        int i = from;
        while (i < s.length() && (isNameStart(s.charAt(i)) || (s.charAt(i) >= '0' && s.charAt(i) <= '9'))) {
            i++;
        }
        return i;
    }
}
