package dev.docksmith.runtime.docker;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Reads container logs into a bounded buffer. Without a TTY the engine multiplexes stdout and stderr
 * into frames of an 8-byte header ({@code [stream, 0, 0, 0, size as big-endian uint32]}) and a payload;
 * with a TTY it sends the raw bytes. Only the last {@code limit} bytes are kept, since the newest lines
 * are the ones anybody reads and a container's full log can be larger than the heap.
 */
final class LogFrames {
    private static final int HEADER = 8;
    private final int limit;
    /** Grows up to {@code limit} while nothing wrapped; after that, a ring of the last {@code limit} bytes. */
    private byte[] ring;
    private long written;

    private LogFrames(int limit) {
        this.limit = limit;
        this.ring = new byte[Math.min(limit, 8192)];
    }

    /** The payloads of every frame, stdout and stderr in the order they arrived. */
    static byte[] demultiplex(InputStream in, int limit) throws IOException {
        LogFrames out = new LogFrames(limit);
        byte[] header = new byte[HEADER];
        boolean first = true;
        while (true) {
            int n = in.readNBytes(header, 0, HEADER);
            if (n == 0) {
                return out.bytes();
            }
            if (first && (n < HEADER || !validHeader(header))) {
                // Not frames after all (the container's TTY setting changed, or a proxy rewrote
                // the stream): show what was sent rather than garbage or an error.
                out.append(header, 0, n);
                out.copy(in, Long.MAX_VALUE, true);
                return out.bytes();
            }
            first = false;
            if (n < HEADER) {
                throw new EOFException("log stream ended inside a frame header");
            }
            long size = ((header[4] & 0xffL) << 24) | ((header[5] & 0xffL) << 16)
                    | ((header[6] & 0xffL) << 8) | (header[7] & 0xffL);
            out.copy(in, size, false);
        }
    }

    /** The raw stream of a TTY container. */
    static byte[] raw(InputStream in, int limit) throws IOException {
        LogFrames out = new LogFrames(limit);
        out.copy(in, Long.MAX_VALUE, true);
        return out.bytes();
    }

    /** Stream 0 is stdin, 1 stdout, 2 stderr, 3 the engine's own error text; bytes 1-3 are zero. */
    private static boolean validHeader(byte[] h) {
        return h[0] >= 0 && h[0] <= 3 && h[1] == 0 && h[2] == 0 && h[3] == 0;
    }

    private void copy(InputStream in, long count, boolean toEnd) throws IOException {
        byte[] buffer = new byte[8192];
        long left = count;
        while (left > 0) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (n < 0) {
                if (toEnd) {
                    return;
                }
                throw new EOFException("log stream ended inside a frame (" + left + " of " + count + " bytes missing)");
            }
            append(buffer, 0, n);
            left -= n;
        }
    }

    private void append(byte[] b, int off, int len) {
        if (written + len > ring.length && ring.length < limit) {
            // not wrapped yet, so the data is ring[0, written): a plain copy keeps it in place
            long wanted = Math.max(written + len, 2L * ring.length);
            ring = Arrays.copyOf(ring, (int) Math.min(limit, wanted));
        }
        int cap = ring.length;
        if (len > cap) {
            // only the last cap bytes can survive; skip the rest as if written and overwritten
            off += len - cap;
            written += len - cap;
            len = cap;
        }
        int pos = (int) (written % cap);
        int first = Math.min(len, cap - pos);
        System.arraycopy(b, off, ring, pos, first);
        System.arraycopy(b, off + first, ring, 0, len - first);
        written += len;
    }

    private byte[] bytes() {
        int cap = ring.length;
        if (written <= cap) {
            return Arrays.copyOf(ring, (int) written);
        }
        int start = (int) (written % cap);
        byte[] out = new byte[cap];
        System.arraycopy(ring, start, out, 0, cap - start);
        System.arraycopy(ring, 0, out, cap - start, start);
        return out;
    }
}
