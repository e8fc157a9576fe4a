package dev.docksmith.runtime.events;

import dev.docksmith.api.Event;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;

/**
 * One subscriber's view of an {@link EventBus}: the events that pass its filter, in a bounded queue
 * of its own. A subscriber that falls behind loses events (and is told how many with a
 * {@value EventQueue#DROPPED_TYPE} event); it never slows the publisher or other subscribers.
 * Close it when done; closing wakes a reader waiting in {@link #poll}.
 */
public final class Subscription implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Subscription.class.getName());

    private final EventQueue queue;
    private final Predicate<Event> filter;
    private final Runnable onClose;
    private final AtomicBoolean closed = new AtomicBoolean();

    Subscription(int capacity, Predicate<Event> filter, Runnable onClose) {
        this.queue = new EventQueue(capacity);
        this.filter = filter == null ? event -> true : filter;
        this.onClose = onClose;
    }

    /** Called on the publisher's thread: must not block or throw. */
    void deliver(Event event) {
        boolean wanted;
        try {
            wanted = filter.test(event);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "event filter failed on " + event.type() + "; event skipped", e);
            return;
        }
        if (wanted) {
            queue.offer(event);
        }
    }

    /** The next event, waiting at most {@code timeout}; null on timeout or once closed. */
    public Event poll(Duration timeout) throws InterruptedException {
        return queue.poll(timeout);
    }

    public boolean isClosed() {
        return closed.get();
    }

    /** Events this subscriber lost so far. */
    public long droppedTotal() {
        return queue.droppedTotal();
    }

    public int capacity() {
        return queue.capacity();
    }

    /** Unsubscribes; idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            queue.close();
            onClose.run();
        }
    }
}
