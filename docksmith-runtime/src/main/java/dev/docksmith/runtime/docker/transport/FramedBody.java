package dev.docksmith.runtime.docker.transport;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * A response body cut out of the connection's byte stream by its HTTP framing. It tells its
 * {@link End} exactly once how the body ended: {@code completed} when the framing said the body was
 * over (the connection may carry another request), {@code aborted} when it failed or was closed early
 * (the connection is in an unknown state and must be closed).
 */
abstract class FramedBody extends InputStream {
    /** What happens to the connection when the body ends. */
    interface End {
        void completed();

        void aborted();
    }

    protected final InputStream in;
    private final End end;
    private boolean atEnd;
    private boolean ended;
    private boolean closed;

    FramedBody(InputStream in, End end) {
        this.in = in;
        this.end = end;
    }

    /** Reads body bytes; -1 when the framing says the body is over. */
    protected abstract int readFramed(byte[] b, int off, int len) throws IOException;

    /** Called by a subclass the moment it knows the body is over, so the connection is freed at once. */
    protected final void reachedEnd() {
        atEnd = true;
        if (!ended) {
            ended = true;
            end.completed();
        }
    }

    @Override
    public final int read() throws IOException {
        byte[] one = new byte[1];
        int n;
        do {
            n = read(one, 0, 1);
        } while (n == 0);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public final int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (closed) {
            throw new IOException("response body already closed");
        }
        if (atEnd) {
            return -1;
        }
        if (len == 0) {
            return 0;
        }
        try {
            int n = readFramed(b, off, len);
            if (n < 0) {
                reachedEnd();
            }
            return n;
        } catch (IOException | RuntimeException e) {
            abort();
            throw e;
        }
    }

    @Override
    public final void close() {
        closed = true;
        abort();
    }

    private void abort() {
        if (!ended) {
            ended = true;
            end.aborted();
        }
    }

    /** A body of {@code Content-Length} bytes. */
    static final class FixedLength extends FramedBody {
        private final long length;
        private long remaining;

        FixedLength(InputStream in, long length, End end) {
            super(in, end);
            this.length = length;
            this.remaining = length;
            if (length == 0) {
                reachedEnd();
            }
        }

        @Override
        protected int readFramed(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, (int) Math.min(len, remaining));
            if (n < 0) {
                throw new EOFException("connection closed after " + (length - remaining) + " of " + length
                        + " body bytes");
            }
            remaining -= n;
            if (remaining == 0) {
                reachedEnd();
            }
            return n;
        }
    }

    /** A body that lasts until the server closes the connection (HTTP/1.0 style). */
    static final class UntilClose extends FramedBody {
        UntilClose(InputStream in, End end) {
            super(in, end);
        }

        @Override
        protected int readFramed(byte[] b, int off, int len) throws IOException {
            return in.read(b, off, len);
        }
    }

    /** {@code Transfer-Encoding: chunked}: hex size lines (extensions ignored), data, then trailers. */
    static final class Chunked extends FramedBody {
        private final HttpConnection connection;
        private long remainingInChunk;
        private boolean first = true;

        Chunked(HttpConnection connection, End end) {
            super(connection.in(), end);
            this.connection = connection;
        }

        @Override
        protected int readFramed(byte[] b, int off, int len) throws IOException {
            if (remainingInChunk == 0) {
                if (!first && !connection.readLine(false).isEmpty()) {
                    throw new IOException("malformed chunked body: missing CRLF after chunk data");
                }
                first = false;
                remainingInChunk = chunkSize(connection.readLine(false));
                if (remainingInChunk == 0) {
                    connection.readFields(); // trailers: read to the empty line so the connection is clean
                    return -1;
                }
            }
            int n = in.read(b, off, (int) Math.min(len, remainingInChunk));
            if (n < 0) {
                throw new EOFException("connection closed in the middle of a chunk");
            }
            remainingInChunk -= n;
            return n;
        }

        private static long chunkSize(String line) throws IOException {
            int semicolon = line.indexOf(';');
            String hex = (semicolon < 0 ? line : line.substring(0, semicolon)).trim();
            try {
                long size = Long.parseLong(hex, 16);
                if (size < 0 || hex.isEmpty()) {
                    throw new NumberFormatException();
                }
                return size;
            } catch (NumberFormatException e) {
                throw new IOException("malformed chunk size line: " + (line.length() > 40 ? line.substring(0, 40) : line));
            }
        }
    }
}
