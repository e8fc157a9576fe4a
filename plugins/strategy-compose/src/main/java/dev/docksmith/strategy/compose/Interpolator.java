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
 * {@link VariableSyntax} reads the syntax, the same way for the write side.
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
        return new Result(substitute(template, 0, template.length(), used), List.copyOf(used));
    }

    private String substitute(String template, int from, int to, List<Substitution> used) {
        StringBuilder out = new StringBuilder(to - from);
        VariableSyntax.read(template, from, to, part -> {
            if (part instanceof VariableSyntax.Text t) {
                out.append(t.text());
            } else if (part instanceof VariableSyntax.Dollar) {
                out.append('$');
            } else {
                out.append(value(template, (VariableSyntax.Variable) part, used));
            }
        });
        return out.toString();
    }

    private String value(String template, VariableSyntax.Variable v, List<Substitution> used) {
        String name = v.name();
        Optional<Substitution> found = lookup.apply(name);
        if (v.operator() == VariableSyntax.Operator.NONE) {
            Substitution s = found.orElse(new Substitution(name, "", Substitution.Origin.UNSET, null, 0));
            used.add(s);
            return s.value();
        }
        // With a colon, an empty value counts as unset.
        boolean set = found.isPresent() && (!v.emptyIsUnset() || !found.get().value().isEmpty());
        switch (v.operator()) {
            case DEFAULT -> {
                if (set) {
                    used.add(found.get());
                    return found.get().value();
                }
                String value = substitute(template, v.argumentStart(), v.argumentEnd(), used);
                used.add(new Substitution(name, value, Substitution.Origin.DEFAULT, null, 0));
                return value;
            }
            case ALTERNATIVE -> {
                if (!set) {
                    used.add(new Substitution(name, "", Substitution.Origin.UNSET, null, 0));
                    return "";
                }
                String value = substitute(template, v.argumentStart(), v.argumentEnd(), used);
                used.add(new Substitution(name, value, Substitution.Origin.DEFAULT, null, 0));
                return value;
            }
            default -> {
                if (!set) {
                    String message = template.substring(v.argumentStart(), v.argumentEnd());
                    throw new InterpolationException("required variable " + name + " is missing a value"
                            + (message.isEmpty() ? "" : ": " + message));
                }
                used.add(found.get());
                return found.get().value();
            }
        }
    }
}
