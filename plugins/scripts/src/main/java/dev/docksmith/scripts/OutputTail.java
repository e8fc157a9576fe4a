package dev.docksmith.scripts;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps the last {@code capacity} bytes a process writes, so a chatty script cannot fill memory and
 * its final lines (where the reason usually is) survive.
 */
final class OutputTail {
    /** A reason is shown in one row of a UI; an endless line is cut. */
    static final int MAX_LINE = 500;

    private final byte[] ring;
    private long written;

    OutputTail(int capacity) {
        this.ring = new byte[capacity];
    }

    /** Copies the stream until it ends or fails (the process died); meant for its own thread. */
    void drain(InputStream in) {
        byte[] buf = new byte[8192];
        try (in) {
            int n;
            while ((n = in.read(buf)) > 0) {
                append(buf, n);
            }
        } catch (IOException e) {
            // The pipe closes when the process is killed: what was read so far is the output.
        }
    }

    synchronized void append(byte[] buf, int n) {
        for (int i = 0; i < n; i++) {
            ring[(int) (written++ % ring.length)] = buf[i];
        }
    }

    /** What was kept, decoded as UTF-8; when bytes were dropped, the cut first line is dropped too. */
    synchronized String text() {
        int size = (int) Math.min(written, ring.length);
        byte[] out = new byte[size];
        int start = (int) ((written - size) % ring.length);
        for (int i = 0; i < size; i++) {
            out[i] = ring[(start + i) % ring.length];
        }
        String s = new String(out, StandardCharsets.UTF_8);
        if (written > ring.length) {
            int nl = s.indexOf('\n');
            s = nl >= 0 ? s.substring(nl + 1) : s;
        }
        return s;
    }

    /** The last {@code count} lines that are not blank, trimmed, each at most {@link #MAX_LINE} characters. */
    List<String> lastLines(int count) {
        String[] lines = text().split("\r?\n|\r");
        List<String> kept = new ArrayList<>();
        for (int i = lines.length - 1; i >= 0 && kept.size() < count; i--) {
            String line = lines[i].strip();
            if (!line.isEmpty()) {
                kept.add(0, line.length() > MAX_LINE ? line.substring(0, MAX_LINE) + "..." : line);
            }
        }
        return kept;
    }
}
