package dev.docksmith.runtime.update;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StackLanesTest {
    private final ExecutorService pool = Executors.newFixedThreadPool(4);

    @Test
    void oneLaneRunsInOrderEvenAfterAFailureWhileAnotherLaneRunsBeside() throws Exception {
        StackLanes lanes = new StackLanes(pool, CompletableFuture.completedFuture(null));
        List<String> order = new CopyOnWriteArrayList<>();
        CountDownLatch release = new CountDownLatch(1);
        lanes.submit("stack:a", () -> {
            await(release);
            order.add("a1");
            throw new IllegalStateException("a failed update does not stop the lane");
        });
        CompletableFuture<Void> a2 = lanes.submit("stack:a", () -> order.add("a2"));
        CompletableFuture<Void> b1 = lanes.submit("stack:b", () -> order.add("b1"));
        b1.get(5, TimeUnit.SECONDS);
        assertEquals(List.of("b1"), order, "b does not wait for a");
        assertTrue(lanes.busy("stack:a"));
        release.countDown();
        a2.get(5, TimeUnit.SECONDS);
        assertEquals(List.of("b1", "a1", "a2"), order);
        Thread.sleep(50); // the lane forgets itself in a completion callback
        assertFalse(lanes.busy("stack:a"));
        pool.shutdownNow();
    }

    @Test
    void nothingRunsBeforeStartUpHasRepairedInterruptedUpdates() throws Exception {
        CompletableFuture<Void> ready = new CompletableFuture<>();
        StackLanes lanes = new StackLanes(pool, ready);
        List<String> ran = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> work = lanes.submit("stack:a", () -> ran.add("x"));
        Thread.sleep(100);
        assertTrue(ran.isEmpty());
        ready.complete(null);
        work.get(5, TimeUnit.SECONDS);
        assertEquals(List.of("x"), ran);
        pool.shutdownNow();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
