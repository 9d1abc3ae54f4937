package io.aimp.gateway.limits;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link LimitBackend} does: windows that admit exactly their limit, give-backs, slots. */
abstract class LimitBackendContract {

    protected abstract LimitBackend backend();

    private String scope;

    @BeforeEach
    void newScope() {
        scope = "workspace:ws_" + UUID.randomUUID(); // a store may outlive one test: each test has its own windows
    }

    @Test
    void should_admit_exactly_the_limit_per_window_and_say_how_long_to_wait() {
        for (int i = 0; i < 5; i++) {
            assertThat(backend().take(scope + "|rpm", 5, 1).admitted()).isTrue();
        }
        LimitBackend.Probe refused = backend().take(scope + "|rpm", 5, 1);

        assertThat(refused.admitted()).isFalse();
        assertThat(refused.remaining()).isZero();
        assertThat(refused.nanosToWait()).isPositive().isLessThanOrEqualTo(TimeUnit.MINUTES.toNanos(1));
    }

    @Test
    void should_admit_exactly_the_limit_of_a_fixed_window_until_its_end_and_take_back_what_was_given_back() {
        long end = System.currentTimeMillis() + TimeUnit.HOURS.toMillis(3);
        assertThat(backend().takeUntil(scope + "|ipd", 5, 2, end).remaining()).isEqualTo(3);
        assertThat(backend().takeUntil(scope + "|ipd", 5, 2, end).admitted()).isTrue();
        LimitBackend.Probe refused = backend().takeUntil(scope + "|ipd", 5, 2, end);

        assertThat(refused.admitted()).isFalse();
        assertThat(refused.remaining()).isEqualTo(1);
        assertThat(refused.nanosToWait()).isPositive().isLessThanOrEqualTo(TimeUnit.HOURS.toNanos(3));
        backend().giveBackUntil(scope + "|ipd", 5, 1, end);
        assertThat(backend().takeUntil(scope + "|ipd", 5, 2, end).admitted()).isTrue();
        // the next window starts empty
        assertThat(backend().takeUntil(scope + "|ipd", 5, 5, end + TimeUnit.DAYS.toMillis(1)).admitted()).isTrue();
    }

    @Test
    void should_admit_exactly_a_fixed_windows_limit_under_concurrent_takes() throws Exception {
        long end = System.currentTimeMillis() + TimeUnit.HOURS.toMillis(1);
        List<Future<Boolean>> takes = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            for (int i = 0; i < 40; i++) {
                takes.add(pool.submit(() -> backend().takeUntil(scope + "|ipd", 10, 2, end).admitted()));
            }
            long admitted = 0;
            for (Future<Boolean> f : takes) {
                admitted += f.get(30, TimeUnit.SECONDS) ? 1 : 0;
            }
            assertThat(admitted).isEqualTo(5);
        }
    }

    @Test
    void should_take_amounts_and_report_what_remains() {
        LimitBackend.Probe p = backend().take(scope + "|tpm", 1000, 600);

        assertThat(p.admitted()).isTrue();
        assertThat(p.remaining()).isEqualTo(400);
        assertThat(backend().take(scope + "|tpm", 1000, 600).admitted()).isFalse();
        assertThat(backend().take(scope + "|tpm", 1000, 400).admitted()).isTrue();
    }

    @Test
    void should_admit_again_what_was_given_back_but_never_more_than_the_limit() {
        backend().take(scope + "|tpm", 1000, 900);
        backend().giveBack(scope + "|tpm", 1000, 500);

        assertThat(backend().take(scope + "|tpm", 1000, 600).admitted()).isTrue();
        backend().giveBack(scope + "|tpm", 1000, 5000);
        assertThat(backend().take(scope + "|tpm", 1000, 1001).admitted()).isFalse();
        assertThat(backend().take(scope + "|tpm", 1000, 1000).admitted()).isTrue();
    }

    @Test
    void should_count_an_overdraft_against_the_window() {
        backend().take(scope + "|tpm", 1000, 500);
        backend().takeOverdraft(scope + "|tpm", 1000, 400);

        assertThat(backend().take(scope + "|tpm", 1000, 101).admitted()).isFalse();
        assertThat(backend().take(scope + "|tpm", 1000, 100).admitted()).isTrue();
    }

    @Test
    void should_start_a_fresh_window_when_the_limit_changes() {
        backend().take(scope + "|rpm", 1, 1);

        assertThat(backend().take(scope + "|rpm", 1, 1).admitted()).isFalse();
        assertThat(backend().take(scope + "|rpm", 2, 1).admitted()).isTrue();
    }

    @Test
    void should_hand_out_at_most_the_limit_of_slots_and_free_them_on_release() {
        String key = scope + "|concurrent";
        assertThat(backend().acquireSlot(key, 2)).isTrue();
        assertThat(backend().acquireSlot(key, 2)).isTrue();
        assertThat(backend().acquireSlot(key, 2)).isFalse();

        backend().releaseSlot(key);
        assertThat(backend().acquireSlot(key, 2)).isTrue();
        backend().releaseSlot(key);
        backend().releaseSlot(key);
        backend().releaseSlot(key); // one more release than slots never makes room beyond the limit
        assertThat(backend().acquireSlot(key, 2)).isTrue();
        assertThat(backend().acquireSlot(key, 2)).isTrue();
        assertThat(backend().acquireSlot(key, 2)).isFalse();
    }

    @Test
    void should_admit_exactly_the_limit_under_concurrent_takes() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                results.add(pool.submit(() -> {
                    int admitted = 0;
                    for (int i = 0; i < 50; i++) {
                        admitted += backend().take(scope + "|rpm", 100, 1).admitted() ? 1 : 0;
                    }
                    return admitted;
                }));
            }
            int total = 0;
            for (Future<Integer> f : results) {
                total += f.get(60, TimeUnit.SECONDS);
            }
            assertThat(total).isEqualTo(100);
        } finally {
            pool.shutdownNow();
        }
    }
}
