package dev.docksmith.examples.embedded;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.docksmith.api.Event;
import dev.docksmith.runtime.Docksmith;
import dev.docksmith.runtime.config.DocksmithConfig;
import dev.docksmith.runtime.config.Setting;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * An existing service (here: a tiny inventory API with one route of its own) that embeds Docksmith:
 * the Docksmith API is mounted on the service's own server under {@code /docksmith}, Docksmith's work
 * runs on the service's executor, and the service keeps its own log of finished updates from
 * Docksmith's events, served at {@code /inventory/updates}.
 */
public final class InventoryService implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final Docksmith docksmith;
    private final List<String> updates = new ArrayList<>();

    /** Starts the service on {@code port} (0 picks a free one) with Docksmith's store in {@code dataDir}. */
    public InventoryService(int port, Path dataDir) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        server.setExecutor(executor);
        server.createContext("/inventory/health", exchange -> reply(exchange, "{\"service\":\"inventory\",\"status\":\"ok\"}"));
        server.createContext("/inventory/updates", exchange -> reply(exchange, updatesJson()));

        DocksmithConfig config = DocksmithConfig.defaults()
                .with(Setting.DATA, dataDir.toString())
                .with(Setting.CHECK_INTERVAL, "0"); // this service asks for checks when it wants them
        docksmith = Docksmith.builder()
                .config(config)
                .httpServer(server, "/docksmith")   // /docksmith/api/... on this server
                .executor(executor)                  // no threads of Docksmith's own for its work
                .eventListener(this::onEvent)
                .build()
                .start();
        server.start();
    }

    /** The port the service listens on. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** Docksmith, for calls in process ({@code check()}, {@code update(...)}, {@code operations(...)}). */
    public Docksmith docksmith() {
        return docksmith;
    }

    /** The service's reaction to Docksmith's events: it remembers each finished update. */
    private void onEvent(Event event) {
        if (event.type().equals("container.updated")) {
            synchronized (updates) {
                updates.add(event.payload().get("container") + " " + event.payload().get("old_version")
                        + " -> " + event.payload().get("new_version"));
            }
        }
    }

    private String updatesJson() {
        synchronized (updates) {
            StringBuilder json = new StringBuilder("{\"updates\":[");
            for (int i = 0; i < updates.size(); i++) {
                json.append(i == 0 ? "" : ",").append('"').append(updates.get(i).replace("\"", "")).append('"');
            }
            return json.append("]}").toString();
        }
    }

    private static void reply(HttpExchange exchange, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /** Stops Docksmith (which unmounts its API), then the service's own server and executor. */
    @Override
    public void close() {
        docksmith.close();
        server.stop(0);
        executor.shutdownNow();
    }

    public static void main(String[] args) throws IOException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8080;
        InventoryService service = new InventoryService(port, Path.of(args.length > 1 ? args[1] : "./data"));
        Runtime.getRuntime().addShutdownHook(new Thread(service::close));
        System.out.println("inventory on http://127.0.0.1:" + service.port() + "/inventory/health, Docksmith under /docksmith/api/");
    }
}
