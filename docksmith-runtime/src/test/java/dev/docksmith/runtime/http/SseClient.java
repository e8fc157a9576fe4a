package dev.docksmith.runtime.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.docksmith.runtime.json.Json;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * An event-stream client on a raw socket: sends the request, reads the response head, then (once
 * {@link #startReading()} is called) decodes the chunked body into lines on a thread of its own. A
 * client that never starts reading is a slow client: its socket buffers fill up.
 */
final class SseClient implements AutoCloseable {
    private static final String END = "\u0000end";

    private final Socket socket;
    private final InputStream in;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final Resp head;
    private volatile boolean ended;

    private SseClient(Socket socket, InputStream in, Resp head) {
        this.socket = socket;
        this.in = in;
        this.head = head;
    }

    static SseClient open(int port, String path, String... headers) throws IOException {
        return open(port, path, true, 0, headers);
    }

    /** {@code receiveBuffer} > 0 shrinks the socket's receive buffer (a slow client's fills up sooner). */
    static SseClient open(int port, String path, boolean read, int receiveBuffer, String... headers) throws IOException {
        return open(port, "GET", path, read, receiveBuffer, headers);
    }

    static SseClient open(int port, String method, String path, boolean read, int receiveBuffer, String... headers) throws IOException {
        Socket socket = new Socket();
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer);
        }
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        socket.setSoTimeout(10_000); // for the response head; streaming reads wait as long as it takes
        StringBuilder request = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
                + "\r\nAccept: text/event-stream\r\n");
        for (String header : headers) {
            request.append(header).append("\r\n");
        }
        socket.getOutputStream().write(request.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
        InputStream in = new BufferedInputStream(socket.getInputStream(), 512);
        Resp head = readHead(in);
        socket.setSoTimeout(0);
        SseClient client = new SseClient(socket, in, head);
        if (read) {
            client.startReading();
        }
        return client;
    }

    Resp head() {
        return head;
    }

    void startReading() {
        Thread reader = new Thread(this::readLoop, "test-sse-reader");
        reader.setDaemon(true);
        reader.start();
    }

    /** The next line that is not blank, or null when none came in time or the stream ended. */
    String nextLine(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null) {
                return null;
            }
            if (line.equals(END)) {
                lines.add(END);
                return null;
            }
            if (!line.isEmpty()) {
                return line;
            }
        }
    }

    /** The next {@code data:} event as JSON, skipping comments; null when none came in time or the stream ended. */
    JsonNode nextEvent(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String line = nextLine(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            if (line == null) {
                return null;
            }
            if (line.startsWith("data: ")) {
                return Json.parse(line.substring(6).getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    /** True once the server ended the stream (terminating chunk or closed connection). */
    boolean ended() {
        return ended;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    private void readLoop() {
        try {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            while (true) {
                int size = Integer.parseInt(RawHttp.line(in).trim(), 16);
                if (size == 0) {
                    break;
                }
                byte[] chunk = in.readNBytes(size);
                RawHttp.line(in);
                for (byte b : chunk) {
                    if (b == '\n') {
                        lines.add(line.toString(StandardCharsets.UTF_8));
                        line.reset();
                    } else {
                        line.write(b);
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // closed
        } finally {
            ended = true;
            lines.add(END);
        }
    }

    private static Resp readHead(InputStream in) throws IOException {
        String statusLine = RawHttp.line(in);
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        java.util.Map<String, java.util.List<String>> headers = new java.util.LinkedHashMap<>();
        for (String line = RawHttp.line(in); !line.isEmpty(); line = RawHttp.line(in)) {
            int colon = line.indexOf(':');
            headers.computeIfAbsent(line.substring(0, colon).trim(), k -> new java.util.ArrayList<>())
                    .add(line.substring(colon + 1).trim());
        }
        return new Resp(status, headers, "");
    }
}
