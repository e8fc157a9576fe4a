package dev.docksmith.strategy.compose;

import dev.docksmith.api.DocksmithException;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EnvFileTest {
    private static final Path F = Path.of("/p/.env");

    @Test
    void parsesTheFormsComposeAccepts() {
        String text = """
                # comment
                PLAIN=1.2.3
                SPACED = v 2  # trailing comment
                export EXPORTED=yes
                SINGLE='a $b # not a comment'
                DOUBLE="x\\ny \\"q\\""
                HASH=a#b
                EMPTY=
                BARE
                MULTI="line1
                line2"
                AFTER=last
                PLAIN=again
                """;
        var e = EnvFile.parse(F, text);
        assertEquals("again", e.get("PLAIN").value(), "a later entry wins");
        assertEquals(13, e.get("PLAIN").line());
        assertEquals("v 2", e.get("SPACED").value());
        assertEquals("yes", e.get("EXPORTED").value());
        assertEquals("a $b # not a comment", e.get("SINGLE").value());
        assertEquals("x\ny \"q\"", e.get("DOUBLE").value());
        assertEquals("a#b", e.get("HASH").value(), "# starts a comment only after whitespace");
        assertEquals("", e.get("EMPTY").value());
        assertFalse(e.containsKey("BARE"));
        assertEquals("line1\nline2", e.get("MULTI").value());
        assertEquals(12, e.get("AFTER").line(), "lines are counted through a multi-line value");
    }

    @Test
    void spansPointAtTheValueInTheFile() {
        String text = "\uFEFFA=1.0 # c\nB = \"2.0\"\r\nC='3'\n";
        var e = EnvFile.parse(F, text);
        for (var entry : e.values()) {
            var s = entry.valueSpan();
            assertEquals(s.sourceText(), text.substring(s.start(), s.end()), entry.name());
        }
        assertEquals("1.0", e.get("A").valueSpan().sourceText());
        assertEquals("\"2.0\"", e.get("B").valueSpan().sourceText());
        assertEquals(ScalarSpan.Quoting.DOUBLE_QUOTED, e.get("B").valueSpan().quoting());
        assertEquals("2.0", e.get("B").value());
        assertEquals("3", e.get("C").value());
        assertEquals(3, e.get("C").line());
    }

    @Test
    void errorsNameTheFileAndLineButNotTheValue() {
        var bad = assertThrows(DocksmithException.class, () -> EnvFile.parse(F, "OK=1\nnot a key=secret\n"));
        assertTrue(bad.getMessage().contains("/p/.env") && bad.getMessage().contains("line 2"), bad.getMessage());
        assertFalse(bad.getMessage().contains("secret"));
        var open = assertThrows(DocksmithException.class, () -> EnvFile.parse(F, "A=\"never closed\n"));
        assertTrue(open.getMessage().contains("line 1"), open.getMessage());
    }
}
