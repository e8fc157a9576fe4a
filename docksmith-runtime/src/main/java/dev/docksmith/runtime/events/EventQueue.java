package dev.docksmith.runtime.events;

import dev.docksmith.api.Event;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A bounded queue of events for one reader. {@link #offer} never waits: when the queue is full the
 * event is dropped and counted, and the reader later receives one {@value #DROPPED_TYPE} event with
 * the count, placed where the gap is (as soon as there is room again) or at the latest when it has
 * read everything else. A queue can be {@linkplain #finish() finished} (the reader drains what is
 * left, then sees the end) or {@linkplain #close() closed} (the reader sees the end at once).
 */
public final class EventQueue {
    /** The type of the event that tells a reader how many events it lost. */
    public static final String DROPPED_TYPE = "system.events_dropped";

    private final int capacity;
    private final ArrayDeque<Event> items = new ArrayDeque<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private long pendingDropped;
    private long droppedTotal;
    private boolean finished;
    private boolean closed;

    public EventQueue(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
        }
        this.capacity = capacity;
    }

    /** Adds the event without waiting; false when it was dropped (queue full) or the queue has ended. */
    public boolean offer(Event event) {
        lock.lock();
        try {
            if (finished || closed) {
                return false;
            }
            // Room for both the notice and the event: tell the reader about the gap where it happened.
            if (pendingDropped > 0 && items.size() + 2 <= capacity) {
                items.add(droppedNotice(pendingDropped));
                pendingDropped = 0;
            }
            if (items.size() >= capacity) {
                pendingDropped++;
                droppedTotal++;
                return false;
            }
            items.add(event);
            changed.signalAll();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The next event, waiting at most {@code timeout}; null when none came in time or the queue has
     * ended (see {@link #isDone()}).
     */
    public Event poll(Duration timeout) throws InterruptedException {
        long nanos = timeout.isNegative() ? 0 : saturatedNanos(timeout);
        lock.lockInterruptibly();
        try {
            while (true) {
                if (closed) {
                    return null;
                }
                Event next = items.poll();
                if (next != null) {
                    return next;
                }
                if (pendingDropped > 0) {
                    long count = pendingDropped;
                    pendingDropped = 0;
                    return droppedNotice(count);
                }
                if (finished || nanos <= 0) {
                    return null;
                }
                nanos = changed.awaitNanos(nanos);
            }
        } finally {
            lock.unlock();
        }
    }

    /** No more events will be offered; the reader still gets what is queued. */
    public void finish() {
        lock.lock();
        try {
            finished = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Ends the queue now: queued events are discarded and a waiting reader returns at once. */
    public void close() {
        lock.lock();
        try {
            closed = true;
            items.clear();
            pendingDropped = 0;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** True when nothing more will ever be returned by {@link #poll}. */
    public boolean isDone() {
        lock.lock();
        try {
            return closed || (finished && items.isEmpty() && pendingDropped == 0);
        } finally {
            lock.unlock();
        }
    }

    /** True once {@link #close()} was called. */
    public boolean isClosed() {
        lock.lock();
        try {
            return closed;
        } finally {
            lock.unlock();
        }
    }

    /** How many events this queue has dropped since it was created. */
    public long droppedTotal() {
        lock.lock();
        try {
            return droppedTotal;
        } finally {
            lock.unlock();
        }
    }

    public int capacity() {
        return capacity;
    }

    /** The event a reader gets after losing {@code count} events. */
    public static Event droppedNotice(long count) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("dropped", count);
        payload.put("message", count + " event(s) were dropped because this subscriber read too slowly");
        return Event.of(DROPPED_TYPE, payload);
    }

    private static long saturatedNanos(Duration timeout) {
        try {
            return timeout.toNanos();
        } catch (ArithmeticException tooLong) {
            return TimeUnit.DAYS.toNanos(365);
        }
    }
}
