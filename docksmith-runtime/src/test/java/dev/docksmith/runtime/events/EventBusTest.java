package dev.docksmith.runtime.events;

import dev.docksmith.api.Event;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EventBusTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private final EventBus bus = new EventBus();

    @AfterEach
    void close() {
        bus.close();
    }

    private static Event event(String type, int i) {
        return Event.of(type, Map.of("i", i));
    }

    @Test
    void everySubscriberGetsWhatItsFilterAccepts() throws InterruptedException {
        Subscription all = bus.subscribe();
        Subscription updates = bus.subscribe(16, e -> e.type().startsWith("update."));
        bus.publish(event("check.progress", 1));
        bus.publish(event("update.progress", 2));
        assertEquals("check.progress", all.poll(WAIT).type());
        assertEquals("update.progress", all.poll(WAIT).type());
        assertEquals("update.progress", updates.poll(WAIT).type());
        assertNull(updates.poll(Duration.ZERO));
    }

    @Test
    void aFullSubscriberNeverBlocksThePublisherOrOthers() throws InterruptedException {
        Subscription stuck = bus.subscribe(4, null);
        Subscription reader = bus.subscribe(20_000, null);
        assertTimeoutPreemptively(WAIT, () -> {
            for (int i = 0; i < 10_000; i++) {
                bus.publish(event("check.progress", i));
            }
        });
        for (int i = 0; i < 10_000; i++) {
            assertEquals(i, reader.poll(WAIT).payload().get("i"));
        }
        assertEquals(9_996, stuck.droppedTotal());
        for (int i = 0; i < 4; i++) {
            assertEquals(i, stuck.poll(WAIT).payload().get("i"));
        }
        Event notice = stuck.poll(WAIT);
        assertEquals(EventQueue.DROPPED_TYPE, notice.type());
        assertEquals(9_996L, notice.payload().get("dropped"));
    }

    @Test
    void aThrowingFilterSkipsOnlyThatSubscriber() throws InterruptedException {
        Subscription broken = bus.subscribe(4, e -> {
            throw new IllegalStateException("boom");
        });
        Subscription fine = bus.subscribe();
        bus.publish(event("x", 1));
        assertNotNull(fine.poll(WAIT));
        assertNull(broken.poll(Duration.ZERO));
    }

    @Test
    void closingASubscriptionUnsubscribes() {
        Subscription subscription = bus.subscribe();
        assertEquals(1, bus.subscriberCount());
        subscription.close();
        subscription.close();
        assertEquals(0, bus.subscriberCount());
        assertTrue(subscription.isClosed());
    }

    @Test
    void listenersRunOffThePublishersThreadInOrderAndSurviveTheirOwnFailures() throws Exception {
        List<Integer> seen = new CopyOnWriteArrayList<>();
        List<Thread> threads = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(1);
        AutoCloseable handle = bus.addListener(event -> {
            threads.add(Thread.currentThread());
            int i = (Integer) event.payload().get("i");
            seen.add(i);
            if (i == 2) {
                throw new IllegalStateException("listener bug");
            }
            if (i == 99) {
                done.countDown();
            }
        });
        for (int i = 0; i < 100; i++) {
            bus.publish(event("x", i));
        }
        assertTrue(done.await(10, TimeUnit.SECONDS));
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            expected.add(i);
        }
        assertEquals(expected, seen);
        assertNotEquals(Thread.currentThread(), threads.get(0));
        handle.close();
        assertEquals(0, bus.subscriberCount());
    }

    @Test
    void aBlockedListenerDoesNotBlockThePublisher() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        bus.addListener(event -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Subscription other = bus.subscribe(10_000, null);
        assertTimeoutPreemptively(WAIT, () -> {
            for (int i = 0; i < 5_000; i++) {
                bus.publish(event("x", i));
            }
        });
        assertEquals(0, other.poll(WAIT).payload().get("i"));
        release.countDown();
    }

    @Test
    void concurrentPublishersAndSubscribers() throws Exception {
        int subscribers = 8;
        int publishers = 4;
        int perPublisher = 1_000;
        List<Subscription> subs = new ArrayList<>();
        for (int i = 0; i < subscribers; i++) {
            subs.add(bus.subscribe(publishers * perPublisher, null));
        }
        List<CompletableFuture<Void>> readers = new ArrayList<>();
        for (Subscription sub : subs) {
            readers.add(CompletableFuture.runAsync(() -> {
                int[] next = new int[publishers];
                try {
                    for (int n = 0; n < publishers * perPublisher; n++) {
                        Event e = sub.poll(WAIT);
                        assertNotNull(e);
                        int p = Integer.parseInt(e.type().substring(1));
                        assertEquals(next[p]++, e.payload().get("i"));
                    }
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        List<Thread> writers = new ArrayList<>();
        for (int p = 0; p < publishers; p++) {
            String type = "p" + p;
            Thread writer = new Thread(() -> {
                for (int i = 0; i < perPublisher; i++) {
                    bus.publish(event(type, i));
                }
            });
            writers.add(writer);
            writer.start();
        }
        for (Thread writer : writers) {
            writer.join();
        }
        CompletableFuture.allOf(readers.toArray(new CompletableFuture[0])).get(30, TimeUnit.SECONDS);
        for (Subscription sub : subs) {
            assertEquals(0, sub.droppedTotal());
        }
    }

    @Test
    void closeEndsEverythingAndLaterSubscriptionsAreClosed() throws InterruptedException {
        Subscription subscription = bus.subscribe();
        bus.close();
        assertTrue(subscription.isClosed());
        assertNull(subscription.poll(WAIT));
        bus.publish(event("x", 1));
        Subscription late = bus.subscribe();
        assertTrue(late.isClosed());
        assertEquals(0, bus.subscriberCount());
    }
}
