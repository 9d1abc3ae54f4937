package io.aimp.gateway.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ClaimLoopTest {

    private final Queue<Integer> ready = new ConcurrentLinkedQueue<>();
    private final List<Integer> asked = new CopyOnWriteArrayList<>();

    private List<Integer> claim(int free) {
        asked.add(free);
        List<Integer> out = new ArrayList<>();
        for (Integer i; out.size() < free && (i = ready.poll()) != null; ) {
            out.add(i);
        }
        return out;
    }

    @Test
    void should_never_work_on_more_items_than_it_has_workers_and_claim_only_what_is_free() throws Exception {
        for (int i = 0; i < 5; i++) {
            ready.add(i);
        }
        AtomicInteger busy = new AtomicInteger();
        AtomicInteger mostBusy = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        List<Integer> done = new CopyOnWriteArrayList<>();
        try (ClaimLoop<Integer> loop = new ClaimLoop<>("test-loop", 2, this::claim, item -> {
            mostBusy.accumulateAndGet(busy.incrementAndGet(), Math::max);
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            busy.decrementAndGet();
            done.add(item);
        }, item -> "item " + item)) {
            loop.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> busy.get() == 2);
            assertThat(ready).hasSize(3);

            release.countDown();
            await().atMost(Duration.ofSeconds(30)).until(() -> done.size() == 5);
        }
        assertThat(mostBusy.get()).isEqualTo(2);
        assertThat(done).containsExactlyInAnyOrder(0, 1, 2, 3, 4);
        assertThat(asked).allMatch(free -> free >= 1 && free <= 2);
    }

    @Test
    void should_keep_working_after_an_item_or_a_claim_fails() throws Exception {
        ready.add(1);
        ready.add(2);
        AtomicInteger claims = new AtomicInteger();
        List<Integer> done = new CopyOnWriteArrayList<>();
        try (ClaimLoop<Integer> loop = new ClaimLoop<>("test-loop", 1, free -> {
            if (claims.incrementAndGet() == 2) {
                throw new IllegalStateException("database unavailable");
            }
            return claim(free);
        }, item -> {
            if (item == 1) {
                throw new IllegalStateException("item failed");
            }
            done.add(item);
        }, item -> "item " + item)) {
            loop.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> done.contains(2));
        }
        assertThat(ready).isEmpty();
        assertThat(claims.get()).isGreaterThanOrEqualTo(3);
    }
}
