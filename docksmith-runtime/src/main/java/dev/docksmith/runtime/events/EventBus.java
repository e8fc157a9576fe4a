package dev.docksmith.runtime.events;

import dev.docksmith.api.Event;
import dev.docksmith.spi.EventSink;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Fans events out to subscribers (SSE clients) and listeners (host applications). Publishing never
 * blocks: each subscriber has its own bounded queue, and one that is full loses the event (it gets a
 * {@value EventQueue#DROPPED_TYPE} event with the count once there is room again).
 */
public final class EventBus implements EventSink, AutoCloseable {
    /**
     * Queue size for subscribers that do not ask for one: a check of 1,000 containers publishes
     * about 1,000 events in a burst, and a stream thread that is not scheduled for a moment must
     * not lose them (it holds references to shared events, so 200 streams cost under 2 MiB).
     */
    public static final int DEFAULT_CAPACITY = 1024;
    /** Queue size for listeners: they run on their own thread and can fall behind too. */
    public static final int LISTENER_CAPACITY = 1024;

    private static final System.Logger LOG = System.getLogger(EventBus.class.getName());
    private static final AtomicInteger LISTENER_THREADS = new AtomicInteger();

    private final Set<Subscription> subscriptions = ConcurrentHashMap.newKeySet();
    private final ThreadFactory listenerThreads;
    private volatile boolean closed;

    /** A bus whose listeners run on daemon platform threads, one per listener. */
    public EventBus() {
        this(task -> {
            Thread thread = new Thread(task, "docksmith-event-listener-" + LISTENER_THREADS.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** A bus whose listeners run on threads from {@code listenerThreads}. */
    public EventBus(ThreadFactory listenerThreads) {
        this.listenerThreads = Objects.requireNonNull(listenerThreads, "listenerThreads");
    }

    /** Hands the event to every subscriber and listener without waiting; ignored once closed. */
    @Override
    public void publish(Event event) {
        Objects.requireNonNull(event, "event");
        if (closed) {
            return;
        }
        for (Subscription subscription : subscriptions) {
            subscription.deliver(event);
        }
    }

    /** A subscription to every event with the default queue size. */
    public Subscription subscribe() {
        return subscribe(DEFAULT_CAPACITY, null);
    }

    /**
     * A subscription to the events {@code filter} accepts (all when null), queueing at most
     * {@code capacity} unread events. On a closed bus the subscription is already closed.
     */
    public Subscription subscribe(int capacity, Predicate<Event> filter) {
        Subscription[] self = new Subscription[1];
        Subscription subscription = new Subscription(capacity, filter, () -> subscriptions.remove(self[0]));
        self[0] = subscription;
        subscriptions.add(subscription);
        if (closed) {
            subscription.close();
        }
        return subscription;
    }

    /**
     * Calls {@code listener} with every event, on a thread of its own (never the publisher's), in
     * publication order. A listener that throws is logged and keeps receiving events. Close the
     * returned handle to remove it.
     */
    public AutoCloseable addListener(Consumer<Event> listener) {
        Objects.requireNonNull(listener, "listener");
        Subscription subscription = subscribe(LISTENER_CAPACITY, null);
        Thread thread = listenerThreads.newThread(() -> runListener(subscription, listener));
        thread.start();
        return subscription::close;
    }

    /** Subscribers and listeners currently attached. */
    public int subscriberCount() {
        return subscriptions.size();
    }

    /** Ends every subscription and listener; later publications are ignored. */
    @Override
    public void close() {
        closed = true;
        for (Subscription subscription : subscriptions) {
            subscription.close();
        }
    }

    private static void runListener(Subscription subscription, Consumer<Event> listener) {
        try {
            while (!subscription.isClosed()) {
                Event event = subscription.poll(Duration.ofMinutes(1));
                if (event == null) {
                    continue;
                }
                try {
                    listener.accept(event);
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "event listener failed on " + event.type(), e);
                }
            }
        } catch (InterruptedException e) {
            subscription.close();
            Thread.currentThread().interrupt();
        }
    }
}
