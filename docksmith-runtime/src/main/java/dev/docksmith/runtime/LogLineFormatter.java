package dev.docksmith.runtime;

import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * One log record, one line: what a client, the engine or a file sends (a path, a header, a script's
 * reference, an engine message) can hold CR, LF or terminal escapes, and printed as they are they
 * forge log lines or rewrite the terminal. Every log line the jar writes passes through here, so
 * control characters are escaped ({@code \n}, {@code \r}, {@code \u001b}) in one place instead of at
 * each of the hundreds of calls. A stack trace keeps its lines; only the messages in it are escaped,
 * so no line of it can pass for a record of its own.
 */
public final class LogLineFormatter extends Formatter {
    /** Time, level, logger, message: readable in a terminal and in journald. */
    static final String DEFAULT_FORMAT = "%1$tFT%1$tT.%1$tLZ %4$-7s %3$s: %5$s%6$s%n";
    private static final String FORMAT_PROPERTY = "java.util.logging.SimpleFormatter.format";

    private final String format;

    /** With the format given by {@code java.util.logging.SimpleFormatter.format}, else {@link #DEFAULT_FORMAT}. */
    public LogLineFormatter() {
        String configured = System.getProperty(FORMAT_PROPERTY);
        this.format = configured == null || configured.isBlank() ? DEFAULT_FORMAT : configured;
    }

    /** Puts this formatter on every handler of the root logger: where every record of the process ends. */
    static void install() {
        for (Handler handler : Logger.getLogger("").getHandlers()) {
            handler.setFormatter(new LogLineFormatter());
        }
    }

    @Override
    public String format(LogRecord record) {
        String source = record.getSourceClassName() == null ? record.getLoggerName()
                : record.getSourceClassName() + (record.getSourceMethodName() == null ? "" : " " + record.getSourceMethodName());
        String thrown = "";
        if (record.getThrown() != null) {
            StringBuilder trace = new StringBuilder();
            appendThrowable(trace, record.getThrown(), "", "", new StackTraceElement[0],
                    Collections.newSetFromMap(new IdentityHashMap<>()));
            thrown = trace.toString();
        }
        return String.format(format, ZonedDateTime.ofInstant(record.getInstant(), ZoneId.systemDefault()), escape(source),
                escape(record.getLoggerName()), record.getLevel().getLocalizedName(), escape(formatMessage(record)), thrown);
    }

    /**
     * A throwable as {@code printStackTrace} lays it out (frames shared with the enclosing trace folded
     * into "... n more", causes and suppressed ones below), each line starting with a line break.
     */
    private static void appendThrowable(StringBuilder out, Throwable t, String caption, String indent, StackTraceElement[] enclosing,
                                        Set<Throwable> seen) {
        if (!seen.add(t)) {
            out.append('\n').append(indent).append(caption).append("[CIRCULAR REFERENCE: ").append(escape(t.toString())).append(']');
            return;
        }
        out.append('\n').append(indent).append(caption).append(escape(t.toString()));
        StackTraceElement[] trace = t.getStackTrace();
        int shared = 0;
        while (shared < trace.length && shared < enclosing.length
                && trace[trace.length - 1 - shared].equals(enclosing[enclosing.length - 1 - shared])) {
            shared++;
        }
        for (int i = 0; i < trace.length - shared; i++) {
            out.append('\n').append(indent).append("\tat ").append(escape(trace[i].toString()));
        }
        if (shared > 0) {
            out.append('\n').append(indent).append("\t... ").append(shared).append(" more");
        }
        for (Throwable suppressed : t.getSuppressed()) {
            appendThrowable(out, suppressed, "Suppressed: ", indent + "\t", trace, seen);
        }
        if (t.getCause() != null) {
            appendThrowable(out, t.getCause(), "Caused by: ", indent, trace, seen);
        }
    }

    /**
     * The text with every control character escaped: C0 (but tab) and C1 controls, DEL, and the Unicode
     * line and paragraph separators. Backslashes stay as they are: a literal {@code \n} in a message
     * cannot break a line, and escaping them would garble Windows paths and regular expressions.
     */
    static String escape(String text) {
        if (text == null) {
            return null;
        }
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean control = (c < 0x20 && c != '\t') || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029';
            if (!control) {
                if (out != null) {
                    out.append(c);
                }
                continue;
            }
            if (out == null) {
                out = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                default -> out.append(String.format("\\u%04x", (int) c));
            }
        }
        return out == null ? text : out.toString();
    }
}
