package dev.docksmith.runtime.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A read-only window on the real engine for {@link FuzzIT}: Docksmith is pointed at this TCP
 * address ({@code DOCKER_HOST=tcp://127.0.0.1:port}) and every Engine API request it makes passes
 * through here. {@code GET} and {@code HEAD} go on to the real engine; any other method (create,
 * start, stop, kill, delete, prune, pull, ...) never reaches it: it is answered {@code 500} and
 * recorded. So however broken Docksmith's input handling is, the fuzzer cannot change the shared
 * engine through the Engine API, and {@link #writes()} says exactly what it tried.
 * <p>
 * Requests are parsed one after another per connection (Docksmith's client does not pipeline);
 * responses are copied back as they come, so long streams ({@code /events}) work.
 */
final class FuzzEngineGuard implements AutoCloseable {
    private final ServerSocket server;
    private final Path upstreamSocket;
    private final String upstreamHost;
    private final int upstreamPort;
    private final List<String> writes = new CopyOnWriteArrayList<>();
    private final AtomicInteger reads = new AtomicInteger();
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    private FuzzEngineGuard(ServerSocket server, Path upstreamSocket, String upstreamHost, int upstreamPort) {
        this.server = server;
        this.upstreamSocket = upstreamSocket;
        this.upstreamHost = upstreamHost;
        this.upstreamPort = upstreamPort;
    }

    /** Starts in front of the engine the docker CLI would use ({@code DOCKER_HOST}, else the default socket). */
    static FuzzEngineGuard start() throws IOException {
        String host = System.getenv().getOrDefault("DOCKER_HOST", "");
        Path socket = null;
        String tcpHost = null;
        int tcpPort = 0;
        if (host.isBlank()) {
            socket = Path.of("/var/run/docker.sock");
        } else if (host.startsWith("unix://")) {
            socket = Path.of(host.substring("unix://".length()));
        } else if (host.startsWith("tcp://")) {
            String hostPort = host.substring("tcp://".length()).replaceAll("/+$", "");
            int colon = hostPort.lastIndexOf(':');
            tcpHost = colon < 0 ? hostPort : hostPort.substring(0, colon);
            tcpPort = colon < 0 ? 2375 : Integer.parseInt(hostPort.substring(colon + 1));
        } else {
            throw new IOException("FuzzEngineGuard cannot forward to DOCKER_HOST=" + host);
        }
        ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        FuzzEngineGuard guard = new FuzzEngineGuard(server, socket, tcpHost, tcpPort);
        Thread acceptor = new Thread(guard::acceptLoop, "fuzz-engine-guard");
        acceptor.setDaemon(true);
        acceptor.start();
        return guard;
    }

    /** What Docksmith should use as {@code DOCKER_HOST}. */
    String dockerHost() {
        return "tcp://127.0.0.1:" + server.getLocalPort();
    }

    /** Every refused (state-changing) engine request, as {@code METHOD /path}. */
    List<String> writes() {
        return List.copyOf(writes);
    }

    /** How many read requests went through. */
    int reads() {
        return reads.get();
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = server.accept();
                open.add(client);
                Thread t = new Thread(() -> serve(client), "fuzz-engine-guard-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                if (!closed) {
                    System.err.println("FuzzEngineGuard: accept failed: " + e);
                }
                return;
            }
        }
    }

    private void serve(Socket client) {
        Object upstreamCloser = null;
        try (client) {
            InputStream in = client.getInputStream();
            OutputStream toClient = client.getOutputStream();
            InputStream fromEngine = null;
            OutputStream toEngine = null;
            while (true) {
                byte[] head = readHead(in);
                if (head == null) {
                    return;
                }
                String text = new String(head, StandardCharsets.ISO_8859_1);
                String requestLine = text.substring(0, text.indexOf("\r\n"));
                String[] parts = requestLine.split(" ");
                String method = parts[0].toUpperCase(Locale.ROOT);
                String target = parts.length > 1 ? parts[1] : "";
                long length = contentLength(text);
                if (!method.equals("GET") && !method.equals("HEAD") || length < 0) {
                    writes.add(method + " " + target);
                    if (length > 0) {
                        copy(in, OutputStream.nullOutputStream(), length); // read it, so closing does not reset the reply
                    }
                    byte[] body = ("{\"message\":\"refused by FuzzIT's engine guard: " + method + " would change the engine\"}")
                            .getBytes(StandardCharsets.UTF_8);
                    toClient.write(("HTTP/1.1 500 Internal Server Error\r\nContent-Type: application/json\r\nContent-Length: "
                            + body.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    toClient.write(body);
                    toClient.flush();
                    return;
                }
                reads.incrementAndGet();
                if (toEngine == null) {
                    Object[] upstream = connectUpstream();
                    upstreamCloser = upstream[2];
                    fromEngine = (InputStream) upstream[0];
                    toEngine = (OutputStream) upstream[1];
                    InputStream source = fromEngine;
                    Thread pump = new Thread(() -> pump(source, toClient, client), "fuzz-engine-guard-pump");
                    pump.setDaemon(true);
                    pump.start();
                }
                toEngine.write(head);
                if (length > 0) {
                    copy(in, toEngine, length);
                }
                toEngine.flush();
            }
        } catch (IOException e) {
            // either side went away: the connection ends
        } finally {
            closeQuietly(upstreamCloser);
            open.remove(client);
        }
    }

    private Object[] connectUpstream() throws IOException {
        if (upstreamSocket != null) {
            SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            channel.connect(UnixDomainSocketAddress.of(upstreamSocket));
            // Not Channels.newInputStream/newOutputStream: both hold the channel's blocking lock while
            // they block, so a pending read would stall every write of the next request.
            InputStream in = new InputStream() {
                @Override
                public int read() throws IOException {
                    byte[] one = new byte[1];
                    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    return channel.read(ByteBuffer.wrap(b, off, len));
                }
            };
            OutputStream out = new OutputStream() {
                @Override
                public void write(int b) throws IOException {
                    write(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    ByteBuffer buffer = ByteBuffer.wrap(b, off, len);
                    while (buffer.hasRemaining()) {
                        channel.write(buffer);
                    }
                }
            };
            return new Object[] {in, out, channel};
        }
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(upstreamHost, upstreamPort), 5000);
        return new Object[] {socket.getInputStream(), socket.getOutputStream(), socket};
    }

    private static void pump(InputStream from, OutputStream to, Socket client) {
        byte[] buffer = new byte[16384];
        try {
            for (int n = from.read(buffer); n >= 0; n = from.read(buffer)) {
                to.write(buffer, 0, n);
                to.flush();
            }
        } catch (IOException e) {
            // closed
        } finally {
            try {
                client.close();
            } catch (IOException ignored) {
                // already closed
            }
        }
    }

    /** The request line and headers up to and including the blank line, or null at the end of the stream. */
    private static byte[] readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                return null;
            }
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
            if (head.size() > 1 << 20) {
                throw new IOException("request head too long");
            }
        }
        return head.toByteArray();
    }

    private static long contentLength(String head) {
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("Content-Length")) {
                return Long.parseLong(line.substring(colon + 1).trim());
            }
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("Transfer-Encoding")) {
                return -1; // a chunked read request does not happen with Docksmith's client: refused and recorded
            }
        }
        return 0;
    }

    private static void copy(InputStream in, OutputStream out, long length) throws IOException {
        byte[] buffer = new byte[16384];
        long left = length;
        while (left > 0) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (n < 0) {
                throw new IOException("request body ended early");
            }
            out.write(buffer, 0, n);
            left -= n;
        }
    }

    private static void closeQuietly(Object closeable) {
        if (closeable instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception ignored) {
                // closing anyway
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        for (Socket s : new ArrayList<>(open)) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }
}
