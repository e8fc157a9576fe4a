package dev.docksmith.runtime.http;

import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The HTTP face of Docksmith: a {@link Router} behind the {@link SecurityPolicy}, served on its own
 * {@link HttpServer} ({@link #start}) and/or mounted under a prefix on a host application's server
 * ({@link #mount}). {@link #handle(Request)} runs the same {@link RequestPipeline} in memory.
 * <p>
 * Threads: on Java 21+ virtual threads, on Java 17 a pool that grows to the request cap. The own
 * server admits at most {@link ServerLimits#maxRequests()} requests in progress at once (more get
 * 429, then a closed connection), and the JDK server closes a connection whose request has not
 * fully arrived within {@link ServerLimits#requestTimeout()}: slow or stalled clients hold a bounded
 * number of threads for a bounded time. Each event stream runs on a thread of its own, capped by
 * {@code maxEventStreams} (default 256; one more gets 429 {@code RATE_LIMITED}), so open streams
 * never starve normal requests. When mounted, requests run on the host server's executor under the
 * host's limits; streams still get their own threads.
 */
public final class HttpApi implements AutoCloseable {
    public static final long DEFAULT_BODY_LIMIT = 1024 * 1024;
    public static final Duration DEFAULT_KEEP_ALIVE = Duration.ofSeconds(15);
    public static final int DEFAULT_MAX_EVENT_STREAMS = 256;
    /** Routes anyone may call even when a token is configured. */
    public static final Set<String> OPEN_PATHS = Set.of("/api/health");
    /** Grace period of {@link #close()}. */
    public static final Duration DEFAULT_STOP_GRACE = Duration.ofSeconds(5);

    private static final System.Logger LOG = System.getLogger("dev.docksmith.runtime.http");

    private final RequestPipeline pipeline;
    private final long bodyLimit;
    private final ServerLimits limits;
    private final int workerThreads;
    private final ExecutorService streamThreads;
    private final SseStreams streams;
    private final List<HttpContext> mounts = new CopyOnWriteArrayList<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean stopping;
    private volatile SecurityPolicy security;
    private HttpServer server;
    private ExecutorService requestWorkers;

    private HttpApi(Builder builder) {
        this.pipeline = new RequestPipeline(builder.router, builder.bodyLimit);
        this.security = builder.security;
        this.bodyLimit = builder.bodyLimit;
        this.limits = builder.limits;
        this.workerThreads = builder.workerThreads > 0 ? builder.workerThreads : limits.maxRequests() + ServerLimits.OVERFLOW;
        this.streamThreads = ServerThreads.streamThreads();
        this.streams = new SseStreams(builder.maxEventStreams, builder.keepAlive, streamThreads);
    }

    /** Default limits and threads; see {@link #builder(Router)} for others. */
    public HttpApi(Router router, SecurityPolicy security) {
        this(new Builder(router).security(security));
    }

    public static Builder builder(Router router) {
        return new Builder(router);
    }

    private static final String NODELAY = "sun.net.httpserver.nodelay";

    /**
     * Starts a server of its own on {@code address} (port 0 picks one) with one context for all
     * routes; returns the bound address. A policy with port 0 takes the bound port.
     */
    public synchronized InetSocketAddress start(InetSocketAddress address) throws IOException {
        if (server != null) {
            throw new IllegalStateException("already started on " + server.getAddress());
        }
        // The JDK server leaves Nagle on: a reply on a kept-alive connection then waits for the
        // client's delayed ACK, about 40 ms a request (browsers keep connections). Read once per JVM.
        if (System.getProperty(NODELAY) == null) {
            System.setProperty(NODELAY, "true");
        }
        limits.applyToJdkServer();
        HttpServer created = HttpServer.create(address, 512);
        created.createContext("/", new ExchangeHandler(this, ""));
        requestWorkers = ServerThreads.requestWorkers(workerThreads);
        created.setExecutor(new RequestAdmission(requestWorkers, limits.maxRequests()));
        created.start();
        server = created;
        if (security.port() == 0) {
            security = security.withPort(created.getAddress().getPort());
        }
        LOG.log(System.Logger.Level.INFO, "HTTP API listening on " + created.getAddress() + " (" + security + "; " + limits.maxRequests()
                + " requests at once, " + limits.requestTimeout().toSeconds() + " s to send one)");
        return created.getAddress();
    }

    /**
     * Mounts the same routing under {@code prefix} ("/docksmith"; "" or "/" for the root) on a host
     * application's server; the prefix is stripped before routing. The host owns the server and its
     * executor; {@link #stop} removes the context again.
     */
    public HttpContext mount(HttpServer host, String prefix) {
        String normalized = normalizePrefix(prefix);
        HttpContext context = host.createContext(normalized.isEmpty() ? "/" : normalized, new ExchangeHandler(this, normalized));
        mounts.add(context);
        return context;
    }

    /** The address of the server started by {@link #start}, if any. */
    public synchronized Optional<InetSocketAddress> address() {
        return server == null ? Optional.empty() : Optional.of(server.getAddress());
    }

    /** The port of the server started by {@link #start}, -1 when there is none. */
    public synchronized int port() {
        return server == null ? -1 : server.getAddress().getPort();
    }

    public SecurityPolicy security() {
        return security;
    }

    public ServerLimits limits() {
        return limits;
    }

    public long bodyLimit() {
        return bodyLimit;
    }

    /** Event streams open right now. */
    public int activeEventStreams() {
        return streams.active();
    }

    /** The whole pipeline in memory (security, routing, errors); an event-stream reply is not started. */
    public Reply handle(Request request) {
        return pipeline.handle(request, security);
    }

    /** A reply made outside {@link #handle} (a refusal), with CORS headers when the request's origin is listed. */
    Reply withCorsIfListed(Reply reply, Request request) {
        return pipeline.withCorsIfListed(reply, request, security);
    }

    /**
     * Stops: new requests get 500 {@code SERVICE_UNAVAILABLE}, event streams end, running requests
     * may finish within {@code grace}; then mounted contexts are removed and the own server and its
     * threads stopped. (We wait ourselves rather than through {@code HttpServer.stop(delay)}, which
     * on Java 17 waits the whole delay when nothing is running.) Not restartable.
     */
    public synchronized void stop(Duration grace) {
        long deadline = System.nanoTime() + grace.toNanos();
        stopping = true;
        streams.closeAll();
        try {
            while (inFlight.get() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (inFlight.get() > 0) {
            LOG.log(System.Logger.Level.WARNING, inFlight.get() + " request(s) still running after " + grace + "; closing anyway");
        }
        for (HttpContext context : mounts) {
            try {
                context.getServer().removeContext(context);
            } catch (IllegalArgumentException alreadyGone) {
                // the host removed it or stopped
            }
        }
        mounts.clear();
        if (server != null) {
            server.stop(0);
            server = null;
        }
        if (requestWorkers != null) {
            shutdown(requestWorkers, deadline);
            requestWorkers = null;
        }
        shutdown(streamThreads, deadline);
    }

    /** {@link #stop(Duration)} with {@link #DEFAULT_STOP_GRACE}. */
    @Override
    public void close() {
        stop(DEFAULT_STOP_GRACE);
    }

    boolean isStopping() {
        return stopping;
    }

    void exchangeStarted() {
        inFlight.incrementAndGet();
    }

    void exchangeDone() {
        inFlight.decrementAndGet();
    }

    SseStreams streams() {
        return streams;
    }

    private static String normalizePrefix(String prefix) {
        if (prefix == null || prefix.isBlank() || prefix.equals("/")) {
            return "";
        }
        String p = prefix.startsWith("/") ? prefix : "/" + prefix;
        return p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }

    private static void shutdown(ExecutorService executor, long deadlineNanos) {
        executor.shutdown();
        try {
            long left = deadlineNanos - System.nanoTime();
            if (!executor.awaitTermination(Math.max(0, left), TimeUnit.NANOSECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    /** Configures an {@link HttpApi}. */
    public static final class Builder {
        private final Router router;
        private SecurityPolicy security = SecurityPolicy.loopback(0);
        private long bodyLimit = DEFAULT_BODY_LIMIT;
        private Duration keepAlive = DEFAULT_KEEP_ALIVE;
        private int maxEventStreams = DEFAULT_MAX_EVENT_STREAMS;
        private ServerLimits limits = ServerLimits.defaults();
        private int workerThreads;

        private Builder(Router router) {
            this.router = Objects.requireNonNull(router, "router");
        }

        public Builder security(SecurityPolicy policy) {
            this.security = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /** Largest request body accepted, in bytes (default 1 MiB). */
        public Builder bodyLimit(long bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("body limit must not be negative");
            }
            this.bodyLimit = bytes;
            return this;
        }

        /** How long an event stream may stay silent before a keep-alive comment (default 15 s). */
        public Builder keepAliveInterval(Duration interval) {
            if (interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("keep-alive interval must be positive");
            }
            this.keepAlive = interval;
            return this;
        }

        /** Most event streams open at once (default 256); one more is answered 429. */
        public Builder maxEventStreams(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("maxEventStreams must be at least 1");
            }
            this.maxEventStreams = max;
            return this;
        }

        /** Deadlines and caps of the own server (see {@link ServerLimits#defaults()}). */
        public Builder limits(ServerLimits limits) {
            this.limits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /**
         * Request threads of the own server on Java 17 (default: the request cap plus its overflow,
         * started only as needed); Java 21+ uses virtual threads. Fewer make requests queue.
         */
        public Builder workerThreads(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("workerThreads must be at least 1");
            }
            this.workerThreads = threads;
            return this;
        }

        public HttpApi build() {
            return new HttpApi(this);
        }
    }
}
