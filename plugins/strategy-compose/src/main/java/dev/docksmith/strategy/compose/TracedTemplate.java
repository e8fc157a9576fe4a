package dev.docksmith.strategy.compose;

import java.util.ArrayList;
import java.util.List;

/**
 * A template's value traced char by char to where it is written: the template itself, a variable's
 * value, or a {@code $$}. Built from the substitutions {@link Interpolator} recorded, consumed in
 * the order it recorded them, over the parts {@link VariableSyntax} reads, so the editor finds
 * exactly the characters the value came from.
 */
final class TracedTemplate {
    /** Where a piece of the value is written. */
    enum Kind { LITERAL, VARIABLE, FIXED }

    /**
     * Part of the value.
     *
     * @param templateStart  where a {@link Kind#LITERAL} or {@link Kind#FIXED} piece starts in the template; -1 for a variable
     * @param effectiveStart where the piece starts in the value
     * @param inDefault      written inside a {@code ${VAR:-default}} (or {@code :+}) argument
     * @param substitution   the variable giving a {@link Kind#VARIABLE} piece; else null
     */
    record Piece(Kind kind, String text, int templateStart, int effectiveStart, boolean inDefault, Substitution substitution) {
    }

    private final String template;
    private final List<Substitution> subs;
    private int next;
    private int at;
    private final List<Piece> pieces = new ArrayList<>();

    private TracedTemplate(String template, List<Substitution> subs) {
        this.template = template;
        this.subs = subs;
    }

    /**
     * Traces {@code template}'s value.
     *
     * @throws RuntimeException when the substitutions do not fit the template
     */
    static TracedTemplate trace(String template, List<Substitution> substitutions) {
        TracedTemplate t = new TracedTemplate(template, substitutions);
        t.walk(0, template.length(), false);
        if (t.next != substitutions.size()) {
            throw new IllegalStateException("the recorded variables do not match the template");
        }
        return t;
    }

    /** The value the pieces spell. */
    String value() {
        return concat(pieces);
    }

    /**
     * The one piece holding value chars [from, to); for an insertion ({@code from == to}), the
     * piece holding the char before it (or the first piece, at the very start). Null when no single piece does.
     */
    Piece owner(int from, int to) {
        for (Piece p : pieces) {
            int start = p.effectiveStart();
            int end = start + p.text().length();
            if (p.text().isEmpty()) {
                continue;
            }
            boolean holds = from < to ? start <= from && to <= end : (from == 0 ? start == 0 : start < from && from <= end);
            if (holds) {
                return p;
            }
        }
        return null;
    }

    private void walk(int from, int to, boolean inDefault) {
        VariableSyntax.read(template, from, to, part -> {
            if (part instanceof VariableSyntax.Text t) {
                add(Kind.LITERAL, t.text(), t.start(), inDefault, null);
            } else if (part instanceof VariableSyntax.Dollar d) {
                add(Kind.FIXED, "$", d.start(), inDefault, null);
            } else {
                variable((VariableSyntax.Variable) part);
            }
        });
    }

    private void add(Kind kind, String text, int templateStart, boolean inDefault, Substitution s) {
        pieces.add(new Piece(kind, text, templateStart, at, inDefault, s));
        at += text.length();
    }

    private void taken(String name) {
        Substitution s = take(name);
        add(Kind.VARIABLE, s.value(), -1, false, s);
    }

    /** Mirrors {@link Interpolator}'s choices, which its records show: a set variable, or its argument. */
    private void variable(VariableSyntax.Variable v) {
        String name = v.name();
        Substitution peek = next < subs.size() ? subs.get(next) : null;
        switch (v.operator()) {
            case NONE, REQUIRED -> taken(name);
            case DEFAULT -> {
                boolean setHere = peek != null && peek.name().equals(name)
                        && (peek.origin() == Substitution.Origin.ENVIRONMENT || peek.origin() == Substitution.Origin.ENV_FILE);
                if (setHere) {
                    taken(name);
                } else {
                    int before = pieces.size();
                    walk(v.argumentStart(), v.argumentEnd(), true);
                    Substitution s = take(name);
                    if (s.origin() != Substitution.Origin.DEFAULT) {
                        throw new IllegalStateException("expected the default of " + name);
                    }
                    check(before, s.value());
                }
            }
            case ALTERNATIVE -> {
                if (peek != null && peek.name().equals(name) && peek.origin() == Substitution.Origin.UNSET) {
                    next++;
                } else {
                    int before = pieces.size();
                    walk(v.argumentStart(), v.argumentEnd(), true);
                    check(before, take(name).value());
                }
            }
        }
    }

    /** The pieces added since {@code before} must spell the value the interpolator recorded. */
    private void check(int before, String value) {
        if (!concat(pieces.subList(before, pieces.size())).equals(value)) {
            throw new IllegalStateException("the default does not give " + value);
        }
    }

    private Substitution take(String name) {
        if (next >= subs.size() || !subs.get(next).name().equals(name)) {
            throw new IllegalStateException("the recorded variables do not match the template at " + name);
        }
        return subs.get(next++);
    }

    private static String concat(List<Piece> pieces) {
        StringBuilder sb = new StringBuilder();
        pieces.forEach(p -> sb.append(p.text()));
        return sb.toString();
    }
}
