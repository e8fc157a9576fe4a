package dev.docksmith.runtime.http;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import dev.docksmith.api.Event;
import dev.docksmith.runtime.json.Json;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The open {@code text/event-stream} replies. The request thread sends the headers and hands the
 * stream to a thread of its own, so streams never hold request workers. At most {@code max} streams
 * are open at once; one more is answered 429 {@code RATE_LIMITED}.
 */
final class SseStreams {
    private static final System.Logger LOG = System.getLogger("dev.docksmith.runtime.http");
    private static final byte[] KEEP_ALIVE = ": keep-alive\n\n".getBytes(StandardCharsets.US_ASCII);
    /** Most events written to one stream before a flush. */
    static final int BATCH = 64;
    private static final FrameCache FRAMES = new FrameCache(256);

    private final int max;
    private final Duration keepAlive;
    private final ExecutorService threads;
    private final Semaphore slots;
    private final Set<Session> sessions = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    SseStreams(int max, Duration keepAlive, ExecutorService threads) {
        this.max = max;
        this.keepAlive = keepAlive;
        this.threads = threads;
        this.slots = new Semaphore(max);
    }

    /**
     * Starts streaming, or refuses (the reply is then an error envelope); returns the status sent.
     * {@code onEnd} runs once when the exchange is over: at once when refused, else when the stream ends.
     */
    int start(HttpExchange exchange, Reply reply, Request request, ReplyWriter writer, Runnable onEnd) {
        SseSource source = reply.source();
        if (!slots.tryAcquire()) {
            try {
                closeQuietly(source);
                Reply refusal = Errors.toReply(new RateLimitedException(
                        "too many event-stream clients (at most " + max + " at once)", Duration.ofSeconds(5)), request);
                return writer.write(exchange, withCorsOf(reply, refusal), request);
            } finally {
                onEnd.run();
            }
        }
        Session session = new Session(exchange, source, request.requestId(), onEnd);
        try {
            Headers headers = exchange.getResponseHeaders();
            reply.headers().forEach((name, values) -> values.forEach(v -> headers.add(name, v)));
            headers.set("Content-Type", reply.contentType());
            headers.set("Cache-Control", "no-cache");
            headers.set("X-Accel-Buffering", "no"); // tell nginx-style proxies not to buffer the stream
            headers.set("X-Request-Id", request.requestId());
            exchange.sendResponseHeaders(200, 0);
            session.out = exchange.getResponseBody();
            session.out.flush();
            sessions.add(session);
            if (closed) {
                session.stop(); // the server began stopping while this request was being handled
            }
            threads.execute(session::run);
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> "event stream [" + request.requestId() + "] could not start: " + e);
            session.finish();
        }
        return 200;
    }

    int active() {
        return sessions.size();
    }

    /** Ends every open stream, and any that starts from now on (server stopping). */
    void closeAll() {
        closed = true;
        for (Session session : sessions) {
            session.stop();
        }
    }

    /** The refusal with the CORS headers the stream's reply had, so a listed origin can read it. */
    private static Reply withCorsOf(Reply stream, Reply refusal) {
        Reply result = refusal;
        for (var header : stream.headers().entrySet()) {
            if (header.getKey().startsWith("Access-Control-") || header.getKey().equalsIgnoreCase("Vary")) {
                for (String value : header.getValue()) {
                    result = result.header(header.getKey(), value);
                }
            }
        }
        return result;
    }

    private static void closeQuietly(SseSource source) {
        try {
            source.close();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "closing an event source failed", e);
        }
    }

    static byte[] frame(Event event) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", event.type());
        body.put("payload", event.payload());
        return ("data: " + Json.text(body) + "\n\n").getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The frames of recent events, so an event sent to 200 streams is serialized about once, not 200
     * times. Keyed by identity in a small fixed table: every stream sends the same Event instance
     * within moments of the others, and an evicted entry only costs one more serialization.
     */
    static final class FrameCache {
        private record Entry(Event event, byte[] frame) {
        }

        private final AtomicReferenceArray<Entry> slots;

        FrameCache(int size) {
            if (Integer.bitCount(size) != 1) {
                throw new IllegalArgumentException("size must be a power of two, was " + size);
            }
            slots = new AtomicReferenceArray<>(size);
        }

        byte[] frame(Event event) {
            int slot = System.identityHashCode(event) & (slots.length() - 1);
            Entry entry = slots.get(slot);
            if (entry != null && entry.event() == event) {
                return entry.frame();
            }
            byte[] frame = SseStreams.frame(event);
            slots.set(slot, new Entry(event, frame));
            return frame;
        }
    }

    private final class Session {
        private final HttpExchange exchange;
        private final SseSource source;
        private final String requestId;
        private final Runnable onEnd;
        private final AtomicBoolean sourceClosed = new AtomicBoolean();
        private final AtomicBoolean finished = new AtomicBoolean();
        private volatile boolean stopping;
        private volatile Thread thread;
        OutputStream out;

        Session(HttpExchange exchange, SseSource source, String requestId, Runnable onEnd) {
            this.exchange = exchange;
            this.source = source;
            this.requestId = requestId;
            this.onEnd = onEnd;
        }

        void run() {
            thread = Thread.currentThread();
            try {
                if (!stopping) {
                    source.open();
                }
                long keepAliveNanos = keepAlive.toNanos();
                long lastWrite = System.nanoTime();
                while (!stopping) {
                    long wait = keepAliveNanos - (System.nanoTime() - lastWrite);
                    if (wait <= 0) {
                        out.write(KEEP_ALIVE);
                        out.flush();
                        lastWrite = System.nanoTime();
                        continue;
                    }
                    Event event = source.poll(Duration.ofNanos(wait));
                    if (event != null) {
                        sendWithQueued(event);
                        lastWrite = System.nanoTime();
                    } else if (source.isComplete()) {
                        for (Event rest = source.poll(Duration.ZERO); rest != null; rest = source.poll(Duration.ZERO)) {
                            out.write(FRAMES.frame(rest));
                        }
                        out.flush();
                        break;
                    }
                }
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, () -> "event stream [" + requestId + "] client went away: " + e);
            } catch (InterruptedException e) {
                // stopping
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "event stream [" + requestId + "] failed", e);
            } finally {
                thread = null;
                Thread.interrupted(); // do not leak an interrupt from stop() into a pooled thread
                finish();
            }
        }

        /**
         * Writes the event and whatever else is already queued (up to {@link #BATCH}), then flushes
         * once: during a check 200 streams each get one event per container, and a write plus flush
         * per event made the stream threads fall behind and their queues drop events under load.
         */
        private void sendWithQueued(Event first) throws IOException, InterruptedException {
            out.write(FRAMES.frame(first));
            for (int i = 1; i < BATCH; i++) {
                Event next = source.poll(Duration.ZERO);
                if (next == null) {
                    break;
                }
                out.write(FRAMES.frame(next));
            }
            out.flush();
        }

        void stop() {
            stopping = true;
            closeSource();
            Thread running = thread;
            if (running != null) {
                running.interrupt();
            }
        }

        void finish() {
            if (finished.compareAndSet(false, true)) {
                try {
                    closeSource();
                    exchange.close();
                } finally {
                    sessions.remove(this);
                    slots.release();
                    onEnd.run();
                }
            }
        }

        private void closeSource() {
            if (sourceClosed.compareAndSet(false, true)) {
                closeQuietly(source);
            }
        }
    }

    /** Writes a non-stream reply; returns the status sent. */
    @FunctionalInterface
    interface ReplyWriter {
        int write(HttpExchange exchange, Reply reply, Request request);
    }
}
