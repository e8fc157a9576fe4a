package dev.docksmith.runtime;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import java.util.logging.StreamHandler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A path, a header or an engine message with CR, LF or ESC in it must not forge a log line or
 * rewrite the terminal; a stack trace must stay readable, one frame a line.
 */
class LogLineFormatterTest {
    static final String FORGED = "x\r\n2026-01-01T00:00:00.000Z INFO    dev.docksmith: admin logged in\u001b[2J";

    @Test
    void everyLineThatReachesTheRootHandlersIsOneLineWithItsControlCharactersEscaped() {
        ByteArrayOutputStream written = new ByteArrayOutputStream();
        Handler handler = new StreamHandler(written, new SimpleFormatter()); // as the JDK's console handler comes
        Logger root = Logger.getLogger("");
        root.addHandler(handler);
        try {
            LogLineFormatter.install(); // what Main does
            System.getLogger("dev.docksmith.test").log(System.Logger.Level.WARNING, "container {0} not found", FORGED);
            handler.flush();
        } finally {
            root.removeHandler(handler);
        }
        String text = written.toString(StandardCharsets.UTF_8);
        List<String> lines = text.lines().toList();
        assertEquals(1, lines.size(), text);
        assertTrue(lines.get(0).contains("container x\\r\\n2026-01-01T00:00:00.000Z INFO    dev.docksmith: admin logged in\\u001b[2J not found"),
                text);
        assertTrue(lines.get(0).contains("WARNING") && lines.get(0).contains("dev.docksmith.test"), text);
    }

    @Test
    void aStackTraceKeepsItsLinesButNoMessageInItCanStartOne() {
        IllegalStateException cause = new IllegalStateException("engine said:\nINFO forged cause");
        RuntimeException thrown = new RuntimeException("failed for " + FORGED, cause);
        thrown.addSuppressed(new IllegalArgumentException("suppressed\r\nforged too"));
        LogRecord record = new LogRecord(Level.SEVERE, "request {0} failed");
        record.setParameters(new Object[] {"/api/x"});
        record.setLoggerName("dev.docksmith.test");
        record.setThrown(thrown);

        String text = new LogLineFormatter().format(record);
        List<String> lines = text.lines().toList();
        assertTrue(lines.get(0).endsWith("request /api/x failed"), text);
        assertTrue(lines.get(1).startsWith("java.lang.RuntimeException: failed for x\\r\\n2026"), text);
        assertTrue(lines.size() > 5, "one frame a line: " + text);
        for (String line : lines.subList(2, lines.size())) {
            assertTrue(line.startsWith("\tat ") || line.startsWith("\t... ") || line.startsWith("\tSuppressed: ")
                    || line.startsWith("\t\tat ") || line.startsWith("\t\t... ") || line.startsWith("Caused by: "), "line: " + line);
        }
        assertTrue(text.contains("\tSuppressed: java.lang.IllegalArgumentException: suppressed\\r\\nforged too"), text);
        assertTrue(text.contains("Caused by: java.lang.IllegalStateException: engine said:\\nINFO forged cause"), text);
    }

    @Test
    void tabsStayAndOtherControlCharactersAreEscaped() {
        assertEquals("a\tb", LogLineFormatter.escape("a\tb"));
        assertEquals("C:\\data\\n", LogLineFormatter.escape("C:\\data\\n"), "backslashes are left alone");
        assertEquals("\\u0000\\u007f\\u009b\\u2028", LogLineFormatter.escape("\u0000\u007f\u009b\u2028"));
    }
}
