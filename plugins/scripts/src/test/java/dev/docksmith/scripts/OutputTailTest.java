package dev.docksmith.scripts;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class OutputTailTest {
    @Test
    void keepsOnlyTheLastBytesAndDropsTheCutLine() {
        OutputTail tail = new OutputTail(16);
        tail.drain(new ByteArrayInputStream("first line\nsecond\nthird\n".getBytes(StandardCharsets.UTF_8)));
        assertEquals("second\nthird\n", tail.text(), "the partial 'line' before the cut is dropped");
        assertEquals(List.of("second", "third"), tail.lastLines(5));
        assertEquals(List.of("third"), tail.lastLines(1));
    }

    @Test
    void blankLinesAndCarriageReturnsAreIgnored() {
        OutputTail tail = new OutputTail(1024);
        tail.drain(new ByteArrayInputStream("a\r\n\r\n  b  \n\n".getBytes(StandardCharsets.UTF_8)));
        assertEquals(List.of("a", "b"), tail.lastLines(5));
    }
}
