package dev.docksmith.runtime.events;

import dev.docksmith.api.Event;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EventQueueTest {
    private static Event event(int i) {
        return Event.of("check.progress", Map.of("i", i));
    }

    private static int index(Event event) {
        return (Integer) event.payload().get("i");
    }

    @Test
    void deliversInOrder() throws InterruptedException {
        EventQueue queue = new EventQueue(10);
        for (int i = 0; i < 5; i++) {
            assertTrue(queue.offer(event(i)));
        }
        for (int i = 0; i < 5; i++) {
            assertEquals(i, index(queue.poll(Duration.ZERO)));
        }
        assertNull(queue.poll(Duration.ZERO));
    }

    @Test
    void aFullQueueDropsAndTellsTheReaderWhereTheGapIs() throws InterruptedException {
        EventQueue queue = new EventQueue(4);
        for (int i = 0; i < 10; i++) {
            queue.offer(event(i)); // 0..3 kept, 4..9 dropped
        }
        assertEquals(6, queue.droppedTotal());
        assertEquals(0, index(queue.poll(Duration.ZERO)));
        assertEquals(1, index(queue.poll(Duration.ZERO)));
        queue.offer(event(10)); // room for notice + event now
        assertEquals(2, index(queue.poll(Duration.ZERO)));
        assertEquals(3, index(queue.poll(Duration.ZERO)));
        Event notice = queue.poll(Duration.ZERO);
        assertEquals(EventQueue.DROPPED_TYPE, notice.type());
        assertEquals(6L, notice.payload().get("dropped"));
        assertEquals(10, index(queue.poll(Duration.ZERO)));
        assertNull(queue.poll(Duration.ZERO));
    }

    @Test
    void theNoticeComesWhenTheReaderCatchesUpEvenWithoutNewEvents() throws InterruptedException {
        EventQueue queue = new EventQueue(1);
        queue.offer(event(0));
        queue.offer(event(1));
        queue.offer(event(2));
        assertEquals(0, index(queue.poll(Duration.ZERO)));
        Event notice = queue.poll(Duration.ZERO);
        assertEquals(EventQueue.DROPPED_TYPE, notice.type());
        assertEquals(2L, notice.payload().get("dropped"));
        assertNull(queue.poll(Duration.ZERO), "counted once");
    }

    @Test
    void finishLetsTheReaderDrainThenEnds() throws InterruptedException {
        EventQueue queue = new EventQueue(4);
        queue.offer(event(0));
        queue.finish();
        assertFalse(queue.offer(event(1)));
        assertFalse(queue.isDone());
        assertEquals(0, index(queue.poll(Duration.ofSeconds(5))));
        assertTrue(queue.isDone());
        assertNull(queue.poll(Duration.ofSeconds(5)), "returns at once when done");
    }

    @Test
    void closeWakesAWaitingReader() throws Exception {
        EventQueue queue = new EventQueue(4);
        CompletableFuture<Event> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return queue.poll(Duration.ofMinutes(5));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(50); // let it wait; the assertion below does not depend on this
        queue.close();
        assertNull(waiting.get(10, TimeUnit.SECONDS));
        assertTrue(queue.isDone());
    }

    @Test
    void aWaitingReaderGetsTheNextEvent() throws Exception {
        EventQueue queue = new EventQueue(4);
        CompletableFuture<Event> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return queue.poll(Duration.ofMinutes(5));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        queue.offer(event(7));
        assertEquals(7, index(waiting.get(10, TimeUnit.SECONDS)));
    }

    @Test
    void capacityMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new EventQueue(0));
    }
}
