package dev.docksmith.runtime.threads;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BoundedExecutorTest {

    @Test
    void neverRunsMoreThanItsLimitAndRunsEveryTask() throws Exception {
        ExecutorService pool = Executors.newCachedThreadPool();
        BoundedExecutor bounded = new BoundedExecutor(pool, 4);
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        int tasks = 2_000;
        CountDownLatch done = new CountDownLatch(tasks);
        // Submitted from several threads at once, so queueing races with tasks finishing.
        ExecutorService submitters = Executors.newFixedThreadPool(4);
        for (int s = 0; s < 4; s++) {
            submitters.execute(() -> {
                for (int i = 0; i < tasks / 4; i++) {
                    bounded.execute(() -> {
                        most.accumulateAndGet(inside.incrementAndGet(), Math::max);
                        Thread.onSpinWait();
                        inside.decrementAndGet();
                        done.countDown();
                    });
                }
            });
        }
        assertTrue(done.await(20, TimeUnit.SECONDS), "every task ran; left: " + done.getCount());
        assertTrue(most.get() <= 4, "at most 4 at once, saw " + most.get());
        // The last tasks count down before their places are given back: wait for that, briefly.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (bounded.running() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertEquals(0, bounded.running(), "every place given back");
        submitters.shutdown();
        pool.shutdown();
    }

    @Test
    void waitingTasksRunInOrderOnTheThreadThatFreedTheirPlace() throws Exception {
        ExecutorService pool = Executors.newCachedThreadPool();
        BoundedExecutor bounded = new BoundedExecutor(pool, 1);
        CountDownLatch release = new CountDownLatch(1);
        List<Integer> order = new ArrayList<>();
        List<String> threads = new ArrayList<>();
        CountDownLatch done = new CountDownLatch(5);
        bounded.execute(() -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        for (int i = 0; i < 5; i++) {
            int n = i;
            bounded.execute(() -> {
                synchronized (order) {
                    order.add(n);
                    threads.add(Thread.currentThread().getName());
                }
                done.countDown();
            });
        }
        assertEquals(1, bounded.running());
        release.countDown();
        assertTrue(done.await(5, TimeUnit.SECONDS));
        assertEquals(List.of(0, 1, 2, 3, 4), order);
        assertEquals(1, threads.stream().distinct().count(), "no new thread per waiting task: " + threads);
        pool.shutdown();
    }

    @Test
    void aTaskThatThrowsGivesItsPlaceToTheNext() throws Exception {
        ExecutorService pool = Executors.newCachedThreadPool();
        BoundedExecutor bounded = new BoundedExecutor(pool, 1);
        CountDownLatch ran = new CountDownLatch(1);
        bounded.execute(() -> {
            throw new IllegalStateException("boom");
        });
        bounded.execute(ran::countDown);
        assertTrue(ran.await(5, TimeUnit.SECONDS));
        pool.shutdown();
    }

    @Test
    void aRejectingDelegateIsReportedToTheCaller() {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        pool.shutdown();
        BoundedExecutor bounded = new BoundedExecutor(pool, 2);
        assertThrows(RejectedExecutionException.class, () -> bounded.execute(() -> { }));
        assertEquals(0, bounded.running());
        assertThrows(IllegalArgumentException.class, () -> new BoundedExecutor(pool, 0));
    }
}
