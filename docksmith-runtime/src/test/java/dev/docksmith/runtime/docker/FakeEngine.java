package dev.docksmith.runtime.docker;

import dev.docksmith.runtime.docker.transport.DockerHost;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A fake Docker engine on a real AF_UNIX socket, answering with raw bytes so tests control framing
 * down to the byte: chunk extensions, split frames, a connection dropped mid-body, a stall.
 * Like dockerd it answers {@code /_ping} and {@code /version} unversioned and refuses versioned paths
 * below its minimum API version with dockerd's own 400 message.
 */
final class FakeEngine implements AutoCloseable {
    private static final Pattern VERSIONED = Pattern.compile("^/v(\\d+\\.\\d+)(/.*)$");

    /** Answers one request by writing to the exchange. */
    interface Handler {
        void handle(Request request, Exchange exchange) throws Exception;
    }

    /** A request as received; {@code path} is without the version prefix and query. */
    record Request(String method, String target, String version, String path, String query,
                   Map<String, String> headers, byte[] body, int connection) {
        String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private record Route(String method, Pattern path, Handler handler) {
    }

    private final Path socket;
    private final ServerSocketChannel server;
    private final List<Route> routes = new CopyOnWriteArrayList<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final List<SocketChannel> clients = new CopyOnWriteArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();
    volatile String apiVersion = "1.41";
    volatile String minVersion = "1.12";
    /** dockerd sends Api-Version on /_ping; proxies and some fakes do not. */
    volatile boolean pingHeader = true;

    private FakeEngine(Path socket) throws IOException {
        this.socket = socket;
        this.server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        Thread acceptor = new Thread(this::accept, "fake-engine-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    static FakeEngine start(Path socket) throws IOException {
        return new FakeEngine(socket);
    }

    Path socket() {
        return socket;
    }

    DockerHost host() {
        return DockerHost.unix(socket);
    }

    /** Routes {@code method} and an unversioned path regex to a handler; later routes win. */
    FakeEngine on(String method, String pathRegex, Handler handler) {
        routes.add(0, new Route(method, Pattern.compile(pathRegex), handler));
        return this;
    }

    /** Connections accepted so far. */
    int connections() {
        return connections.get();
    }

    List<Request> requests() {
        return Collections.unmodifiableList(requests);
    }

    /** Requests other than the version negotiation. */
    List<Request> apiRequests() {
        List<Request> out = new ArrayList<>();
        for (Request r : requests) {
            if (r.version() != null) {
                out.add(r);
            }
        }
        return out;
    }

    Request lastRequest() {
        return requests.get(requests.size() - 1);
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (SocketChannel c : clients) {
            c.close();
        }
        Files.deleteIfExists(socket);
    }

    private void accept() {
        while (server.isOpen()) {
            try {
                SocketChannel client = server.accept();
                clients.add(client);
                int id = connections.incrementAndGet();
                Thread t = new Thread(() -> serve(client, id), "fake-engine-conn-" + id);
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(SocketChannel client, int id) {
        try (client) {
            InputStream in = new BufferedInputStream(Channels.newInputStream(client));
            OutputStream out = Channels.newOutputStream(client);
            while (true) {
                Request request = read(in, id);
                if (request == null) {
                    return;
                }
                requests.add(request);
                Exchange exchange = new Exchange(out);
                dispatch(request, exchange);
                out.flush();
                if (exchange.closeAfter) {
                    return;
                }
            }
        } catch (Exception e) {
            // the client went away or a test handler dropped the connection on purpose
        }
    }

    private void dispatch(Request request, Exchange exchange) throws Exception {
        if (request.version() == null && request.path().equals("/_ping")) {
            exchange.respond(200, pingHeader ? Map.of("Api-Version", apiVersion, "Content-Type", "text/plain")
                    : Map.of("Content-Type", "text/plain"), "OK");
            return;
        }
        if (request.version() == null && request.path().equals("/version")) {
            exchange.json(200, "{\"Version\":\"fake\",\"ApiVersion\":\"" + apiVersion
                    + "\",\"MinAPIVersion\":\"" + minVersion + "\"}");
            return;
        }
        if (request.version() != null && ApiVersion.parse(request.version()).compareTo(ApiVersion.parse(minVersion)) < 0) {
            exchange.json(400, "{\"message\":\"client version " + request.version()
                    + " is too old. Minimum supported API version is " + minVersion
                    + ", please upgrade your client to a newer version\"}");
            return;
        }
        if (request.version() != null && ApiVersion.parse(request.version()).compareTo(ApiVersion.parse(apiVersion)) > 0) {
            exchange.json(400, "{\"message\":\"client version " + request.version()
                    + " is too new. Maximum supported API version is " + apiVersion + "\"}");
            return;
        }
        for (Route route : routes) {
            if (route.method().equals(request.method()) && route.path().matcher(request.path()).matches()) {
                route.handler().handle(request, exchange);
                return;
            }
        }
        exchange.json(404, "{\"message\":\"page not found\"}");
    }

    private static Request read(InputStream in, int id) throws IOException {
        String line = line(in);
        if (line == null) {
            return null;
        }
        String[] parts = line.split(" ");
        String target = parts[1];
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (String h = line(in); h != null && !h.isEmpty(); h = line(in)) {
            int colon = h.indexOf(':');
            headers.put(h.substring(0, colon).trim(), h.substring(colon + 1).trim());
        }
        int length = Integer.parseInt(headers.getOrDefault("Content-Length", "0"));
        byte[] body = in.readNBytes(length);
        int q = target.indexOf('?');
        String rawPath = q < 0 ? target : target.substring(0, q);
        String query = q < 0 ? "" : target.substring(q + 1);
        Matcher m = VERSIONED.matcher(rawPath);
        String version = m.matches() ? m.group(1) : null;
        String path = m.matches() ? m.group(2) : rawPath;
        return new Request(parts[0], target, version, path, query, headers, body, id);
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                String s = buf.toString(StandardCharsets.ISO_8859_1);
                return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
            }
            buf.write(b);
        }
        return buf.size() == 0 ? null : buf.toString(StandardCharsets.ISO_8859_1);
    }

    /** Writes one response; helpers for the usual shapes, {@link #raw} for anything else. */
    static final class Exchange {
        private final OutputStream out;
        private boolean closeAfter;

        Exchange(OutputStream out) {
            this.out = out;
        }

        void json(int status, String json) throws IOException {
            respond(status, Map.of("Content-Type", "application/json"), json);
        }

        void respond(int status, Map<String, String> headers, String body) throws IOException {
            respond(status, headers, body.getBytes(StandardCharsets.UTF_8));
        }

        void respond(int status, Map<String, String> headers, byte[] body) throws IOException {
            StringBuilder head = new StringBuilder("HTTP/1.1 " + status + " X\r\n");
            headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
            head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
            raw(head.toString());
            out.write(body);
        }

        /** 204 / 304 and the like. */
        void empty(int status) throws IOException {
            raw("HTTP/1.1 " + status + " X\r\n\r\n");
        }

        void raw(String text) throws IOException {
            raw(text.getBytes(StandardCharsets.ISO_8859_1));
        }

        void raw(byte[] bytes) throws IOException {
            out.write(bytes);
            out.flush();
        }

        /** Close the connection after this response (without saying so in a header). */
        void closeAfter() {
            closeAfter = true;
        }

        /** Drop the connection now. */
        void drop() throws IOException {
            out.flush();
            throw new IOException("dropped on purpose");
        }
    }
}
