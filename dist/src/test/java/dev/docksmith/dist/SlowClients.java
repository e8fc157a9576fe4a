package dev.docksmith.dist;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Clients that hold a server's connections without finishing a request, as an attacker or a broken
 * client would: either a request head sent one byte every {@code interval}, or a whole head that
 * declares a body which never comes. Each connection the server closes is opened again, so the
 * number held stays the same. Driven by {@link #tick()} from one thread; loopback only.
 */
final class SlowClients implements AutoCloseable {
    /** The head a slow writer sends: long enough never to finish at one byte per interval. */
    private static final byte[] SLOW_HEAD = ("GET /api/status HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "
            + "a".repeat(200)).getBytes(StandardCharsets.US_ASCII);
    private static final byte[] STALLED_BODY_HEAD = ("POST /api/update HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            + "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n").getBytes(StandardCharsets.US_ASCII);

    private final InetSocketAddress server;
    private final long intervalNanos;
    private final List<Held> held = new ArrayList<>();
    private int opened;
    private int closedByServer;
    private int connectFailures;

    SlowClients(int port, long intervalMillis) {
        this.server = new InetSocketAddress("127.0.0.1", port);
        this.intervalNanos = intervalMillis * 1_000_000;
    }

    /** Adds {@code n} connections that send their head a byte at a time. */
    void slowHeads(int n) {
        for (int i = 0; i < n; i++) {
            held.add(new Held(true));
        }
    }

    /** Adds {@code n} connections that send a head declaring 100 bytes of body, then nothing. */
    void stalledBodies(int n) {
        for (int i = 0; i < n; i++) {
            held.add(new Held(false));
        }
    }

    /** Opens what is closed, sends what is due, notices what the server closed. */
    void tick() {
        long now = System.nanoTime();
        ByteBuffer sink = ByteBuffer.allocate(4096);
        for (Held h : held) {
            if (h.channel == null) {
                h.open(now);
                continue;
            }
            try {
                sink.clear();
                int read = h.channel.read(sink);
                if (read < 0) {
                    closedByServer++;
                    h.close();
                    continue;
                }
                if (h.slow && now >= h.nextByteAt && h.sent < SLOW_HEAD.length) {
                    h.channel.write(ByteBuffer.wrap(SLOW_HEAD, h.sent, 1));
                    h.sent++;
                    h.nextByteAt = now + intervalNanos;
                }
            } catch (IOException reset) {
                closedByServer++;
                h.close();
            }
        }
    }

    int opened() {
        return opened;
    }

    int closedByServer() {
        return closedByServer;
    }

    int connectFailures() {
        return connectFailures;
    }

    @Override
    public void close() {
        held.forEach(Held::close);
    }

    private final class Held {
        final boolean slow;
        SocketChannel channel;
        int sent;
        long nextByteAt;

        Held(boolean slow) {
            this.slow = slow;
        }

        void open(long now) {
            SocketChannel c = null;
            try {
                c = SocketChannel.open();
                c.socket().connect(server, 2000);
                c.configureBlocking(false);
                if (slow) {
                    c.write(ByteBuffer.wrap(SLOW_HEAD, 0, 1));
                    sent = 1;
                    nextByteAt = now + intervalNanos;
                } else {
                    c.write(ByteBuffer.wrap(STALLED_BODY_HEAD));
                }
                channel = c;
                opened++;
            } catch (IOException e) {
                connectFailures++;
                closeQuietly(c);
            }
        }

        void close() {
            closeQuietly(channel);
            channel = null;
        }
    }

    private static void closeQuietly(SocketChannel c) {
        if (c != null) {
            try {
                c.close();
            } catch (IOException ignored) {
                // already gone
            }
        }
    }
}
