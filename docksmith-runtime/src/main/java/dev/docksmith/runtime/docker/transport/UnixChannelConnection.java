package dev.docksmith.runtime.docker.transport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A unix-socket connection with real timeouts. A blocking {@link SocketChannel} has no read timeout,
 * and an AF_UNIX channel has no socket adaptor whose {@code setSoTimeout} could give it one, so the
 * channel runs non-blocking and every read or write that would block waits on a private
 * {@link Selector} for at most the remaining time. The same non-blocking mode lets {@link #stale()}
 * peek at an idle connection without hanging.
 */
final class UnixChannelConnection implements RawConnection {
    private final SocketChannel channel;
    private final Selector selector;
    private final SelectionKey key;
    private final InputStream in = new In();
    private final OutputStream out = new Out();
    private volatile long timeoutNanos;
    private volatile boolean closed;

    private UnixChannelConnection(SocketChannel channel, Selector selector, SelectionKey key) {
        this.channel = channel;
        this.selector = selector;
        this.key = key;
    }

    /** Connects, waiting at most {@code timeout}. */
    static UnixChannelConnection open(Path socket, Duration timeout) throws IOException {
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        Selector selector = null;
        try {
            channel.configureBlocking(false);
            selector = Selector.open();
            SelectionKey key = channel.register(selector, 0);
            UnixChannelConnection connection = new UnixChannelConnection(channel, selector, key);
            connection.timeoutNanos = timeout.toNanos();
            if (!channel.connect(UnixDomainSocketAddress.of(socket))) {
                long deadline = connection.deadline();
                while (!channel.finishConnect()) {
                    connection.await(SelectionKey.OP_CONNECT, deadline, "connect");
                }
            }
            return connection;
        } catch (IOException | RuntimeException e) {
            channel.close();
            if (selector != null) {
                selector.close();
            }
            throw e;
        }
    }

    @Override
    public InputStream in() {
        return in;
    }

    @Override
    public OutputStream out() {
        return out;
    }

    @Override
    public void setTimeout(Duration timeout) {
        timeoutNanos = timeout.toNanos();
    }

    @Override
    public boolean stale() {
        if (closed || !channel.isOpen()) {
            return true;
        }
        try {
            // Between requests nothing may arrive: -1 means the engine hung up, bytes mean garbage.
            return channel.read(ByteBuffer.allocate(1)) != 0;
        } catch (IOException e) {
            return true;
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            selector.wakeup(); // ends a select() another thread may be blocked in
            channel.close();
            selector.close(); // completes the deregistration, so the descriptor is released now
        } catch (IOException | RuntimeException ignored) {
            // closing a broken connection: nothing left to do
        }
    }

    /** System.nanoTime() deadline for the current timeout, or 0 for none. */
    private long deadline() {
        long t = timeoutNanos;
        return t <= 0 ? 0 : System.nanoTime() + t;
    }

    private void await(int op, long deadline, String what) throws IOException {
        long waitMillis = 0;
        if (deadline != 0) {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                throw new SocketTimeoutException(what + " timed out after "
                        + Duration.ofNanos(timeoutNanos).toMillis() + " ms");
            }
            waitMillis = Math.max(1, remaining / 1_000_000);
        }
        try {
            key.interestOps(op);
            selector.select(waitMillis);
            selector.selectedKeys().clear();
        } catch (ClosedSelectorException | CancelledKeyException e) {
            throw new SocketException("connection closed");
        }
        if (closed) {
            throw new SocketException("connection closed");
        }
    }

    private final class In extends InputStream {
        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            ByteBuffer buffer = ByteBuffer.wrap(b, off, len);
            long deadline = deadline();
            while (true) {
                int n = channel.read(buffer);
                if (n != 0) {
                    return n;
                }
                await(SelectionKey.OP_READ, deadline, "read");
            }
        }

        @Override
        public void close() {
            UnixChannelConnection.this.close();
        }
    }

    private final class Out extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            ByteBuffer buffer = ByteBuffer.wrap(b, off, len);
            long deadline = deadline();
            while (buffer.hasRemaining()) {
                if (channel.write(buffer) == 0) {
                    await(SelectionKey.OP_WRITE, deadline, "write");
                }
            }
        }

        @Override
        public void close() {
            UnixChannelConnection.this.close();
        }
    }
}
