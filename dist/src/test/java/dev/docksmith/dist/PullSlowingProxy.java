package dev.docksmith.dist;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A TCP proxy to the registry that keeps the engine's pulls in progress: while {@link #armed}, each
 * chunk of a reply on the engine's own connections (User-Agent {@code docker/...}) is held for
 * {@code hold}; disarmed, everything passes at full speed (a pull left running by a killed Docksmith
 * then ends quickly). Docksmith's own registry look-ups are never held, so its checks and
 * validation stay fast whatever the state.
 */
final class PullSlowingProxy implements AutoCloseable {
    volatile boolean armed = true;
    private final long holdMillis;
    private final ServerSocket server;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    PullSlowingProxy(int upstreamPort, Duration hold) throws IOException {
        holdMillis = hold.toMillis();
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        daemon(() -> {
            try {
                while (true) {
                    Socket client = server.accept();
                    Socket upstream = new Socket(InetAddress.getLoopbackAddress(), upstreamPort);
                    sockets.addAll(List.of(client, upstream));
                    AtomicBoolean engine = new AtomicBoolean();
                    daemon(() -> pump(client, upstream, engine, true));
                    daemon(() -> pump(upstream, client, engine, false));
                }
            } catch (IOException closed) {
                // close() ends the accept loop
            }
        });
    }

    int port() {
        return server.getLocalPort();
    }

    private static void daemon(Runnable task) {
        Thread t = new Thread(task, "pull-slowing-proxy");
        t.setDaemon(true);
        t.start();
    }

    private void pump(Socket from, Socket to, AtomicBoolean engine, boolean request) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                if (request && new String(buffer, 0, n, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT)
                        .contains("\nuser-agent: docker/")) {
                    engine.set(true);
                } else if (!request && engine.get() && armed) {
                    Thread.sleep(holdMillis);
                }
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException | InterruptedException e) {
            // either side closed: close the other
        } finally {
            try {
                from.close();
                to.close();
            } catch (IOException ignored) {
                // already closed
            }
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : sockets) {
            s.close();
        }
    }
}
