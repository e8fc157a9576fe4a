package dev.docksmith.strategy.compose;

import dev.docksmith.strategy.compose.Interpolator.InterpolationException;

import java.util.function.Consumer;

/**
 * Reads compose's variable syntax ({@code $$}, {@code $VAR}, {@code ${VAR}}, {@code ${VAR<op>arg}})
 * for both sides that must agree on it: {@link Interpolator} substitutes what it reads, and
 * {@link TracedTemplate} traces each char of the value back to where it is written, so the write
 * side edits the characters the read side used.
 *
 * <p>Reading is lazy, part by part, and an operator's argument is only read when a caller asks for
 * it: as in compose, an unused default is never checked, and an earlier part fails first.
 */
final class VariableSyntax {
    private VariableSyntax() {
    }

    /** A part of a template. Offsets are into the whole template, also for parts of an argument. */
    sealed interface Part permits Text, Dollar, Variable {
    }

    /** Template characters that stand for themselves. Never empty. */
    record Text(String text, int start) implements Part {
    }

    /** {@code $$}, which stands for one {@code $}. */
    record Dollar(int start) implements Part {
    }

    /** What a {@code ${VAR<op>arg}} does with its argument; {@link #NONE} for {@code $VAR} and {@code ${VAR}}. */
    enum Operator {
        NONE,
        /** {@code -}: the argument when the variable is unset. */
        DEFAULT,
        /** {@code +}: the argument when the variable is set. */
        ALTERNATIVE,
        /** {@code ?}: fail, with the argument as the message, when the variable is unset. */
        REQUIRED
    }

    /**
     * A variable.
     *
     * @param emptyIsUnset  written with a colon ({@code :-}, {@code :+}, {@code :?}): an empty value counts as unset
     * @param argumentStart where the argument starts in the template ({@code argumentEnd} for none)
     * @param argumentEnd   where it ends: the offset of the closing brace
     */
    record Variable(String name, Operator operator, boolean emptyIsUnset, int argumentStart, int argumentEnd) implements Part {
    }

    /** Hands each part of {@code template[from, to)} to {@code parts}, in order, reading the next only after that. */
    static void read(String template, int from, int to, Consumer<Part> parts) {
        int i = from;
        int literal = from;
        while (i < to) {
            if (template.charAt(i) != '$') {
                i++;
                continue;
            }
            if (i > literal) {
                parts.accept(new Text(template.substring(literal, i), literal));
            }
            char next = i + 1 < to ? template.charAt(i + 1) : 0;
            if (next == '$') {
                parts.accept(new Dollar(i));
                i += 2;
            } else if (next == '{') {
                int close = matchingBrace(template, from, to, i + 2);
                parts.accept(braced(template, i + 2, close));
                i = close + 1;
            } else if (isNameStart(next)) {
                int end = nameEnd(template, i + 1, to);
                parts.accept(new Variable(template.substring(i + 1, end), Operator.NONE, false, end, end));
                i = end;
            } else {
                throw new InterpolationException("invalid interpolation format in \"" + template.substring(from, to)
                        + "\": a '$' must start $VAR or ${VAR}; write $$ for a literal $");
            }
            literal = i;
        }
        if (to > literal) {
            parts.accept(new Text(template.substring(literal, to), literal));
        }
    }

    /** The body of a {@code ${...}}: {@code template[from, close)}. */
    private static Variable braced(String template, int from, int close) {
        int nameEnd = nameEnd(template, from, close);
        if (nameEnd == from) {
            throw new InterpolationException("invalid interpolation format in \"${" + template.substring(from, close)
                    + "}\": no variable name");
        }
        String name = template.substring(from, nameEnd);
        if (nameEnd == close) {
            return new Variable(name, Operator.NONE, false, close, close);
        }
        boolean colon = template.charAt(nameEnd) == ':';
        int op = colon ? nameEnd + 1 : nameEnd;
        Operator operator = op >= close ? null : switch (template.charAt(op)) {
            case '-' -> Operator.DEFAULT;
            case '+' -> Operator.ALTERNATIVE;
            case '?' -> Operator.REQUIRED;
            default -> null;
        };
        if (operator == null) {
            throw new InterpolationException("invalid interpolation format in \"${" + template.substring(from, close) + "}\"");
        }
        return new Variable(name, operator, colon, op + 1, close);
    }

    /** Index of the '}' closing a '${' whose body starts at {@code at}, counting nested '${'. */
    private static int matchingBrace(String template, int from, int to, int at) {
        int depth = 1;
        for (int i = at; i < to; i++) {
            char c = template.charAt(i);
            if (c == '$' && i + 1 < to && (template.charAt(i + 1) == '{' || template.charAt(i + 1) == '$')) {
                depth += template.charAt(i + 1) == '{' ? 1 : 0;
                i++;
            } else if (c == '}' && --depth == 0) {
                return i;
            }
        }
        throw new InterpolationException("invalid interpolation format in \"" + template.substring(from, to) + "\": unclosed ${");
    }

    private static boolean isNameStart(char c) {
        return c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    }

    /** The end of the variable name starting at {@code from}; {@code from} itself when none starts there. */
    private static int nameEnd(String template, int from, int to) {
        if (from >= to || !isNameStart(template.charAt(from))) {
            return from;
        }
        int i = from + 1;
        while (i < to && (isNameStart(template.charAt(i)) || (template.charAt(i) >= '0' && template.charAt(i) <= '9'))) {
            i++;
        }
        return i;
    }
}
