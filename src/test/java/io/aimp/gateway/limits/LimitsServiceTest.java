package io.aimp.gateway.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aimp.gateway.auth.Role;
import io.aimp.gateway.common.GatewayException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LimitsServiceTest {

    /** Overrides in a map; spend starts at {@code spent}. */
    static final class MapStore implements LimitStore {
        final Map<String, LimitSet> sets = new HashMap<>();
        long spent;

        @Override
        public Optional<LimitSet> find(ScopeType type, String scopeId) {
            return Optional.ofNullable(sets.get(type + ":" + scopeId));
        }

        @Override
        public void put(ScopeType type, String scopeId, String workspaceId, LimitSet limits, long now) {
            sets.put(type + ":" + scopeId, limits);
        }

        @Override
        public long spentSince(String workspaceId, String keyId, long fromMillis) {
            return spent;
        }
    }

    private final MapStore store = new MapStore();
    private final Clock clock = Clock.fixed(Instant.parse("2026-03-10T12:00:00Z"), ZoneOffset.UTC);

    private LimitsService service(LimitsProperties.Config workspace) {
        return new LimitsService(new InMemoryLimitBackend(), store,
                new LimitsProperties(workspace, new LimitsProperties.Config(null, null, null, null, null, null, null), null, null), clock);
    }

    private static LimitsService.Subject subject(LimitSet release) {
        return new LimitsService.Subject("ws_1", "key_1", Role.MEMBER, "mdl_1@1.0.0", release);
    }

    @Test
    void should_give_back_unused_tokens_when_the_run_settles() {
        LimitsService limits = service(new LimitsProperties.Config(null, 1000L, null, null, null, null, null));

        LimitsService.Admission a = limits.admit(subject(null), 600, 0);
        assertThatThrownBy(() -> limits.admit(subject(null), 600, 0)).isInstanceOf(GatewayException.class)
                .hasFieldOrPropertyWithValue("code", "rate_limited");
        limits.settle(a, 100, 0);

        limits.admit(subject(null), 600, 0);
    }

    @Test
    void should_take_a_later_steps_bound_before_the_call_and_settle_to_the_actual_usage() {
        // given: 1,000 tokens per minute, a run admitted with its first step's bound of 300
        LimitsService limits = service(new LimitsProperties.Config(null, 1000L, null, null, null, null, null));
        LimitsService.Admission a = limits.admit(subject(null), 300, 0);

        // when: its second step needs 500 more, a third 300 more than the window has left
        limits.takeMoreTokens(a, 500);
        assertThatThrownBy(() -> limits.takeMoreTokens(a, 300)).isInstanceOf(GatewayException.class)
                .hasFieldOrPropertyWithValue("code", "rate_limited");

        // then: the run holds 800, and settling to its actual 150 gives the rest back
        assertThat(a.tokensHeld()).isEqualTo(800);
        assertThatThrownBy(() -> limits.admit(subject(null), 300, 0)).isInstanceOf(GatewayException.class);
        limits.settle(a, 150, 0);
        limits.admit(subject(null), 850, 0);
    }

    @Test
    void should_count_a_request_refused_by_a_later_stage_against_the_request_window() {
        LimitsService limits = service(new LimitsProperties.Config(1L, 100L, 1L, null, null, null, null));

        limits.release(limits.admit(subject(null), 100, 0)); // e.g. the wallet said 402

        assertThatThrownBy(() -> limits.admit(subject(null), 100, 0)).isInstanceOf(GatewayException.class)
                .hasFieldOrPropertyWithValue("code", "rate_limited")
                .extracting(e -> ((GatewayException) e).extensions().get("limit")).isEqualTo("requests_per_minute");
    }

    @Test
    void should_refuse_a_request_larger_than_the_token_limit_as_a_quota() {
        LimitsService limits = service(new LimitsProperties.Config(null, 1000L, null, null, null, null, null));

        assertThatThrownBy(() -> limits.admit(subject(null), 1001, 0))
                .isInstanceOfSatisfying(GatewayException.class, e -> {
                    assertThat(e.code()).isEqualTo("quota_exceeded");
                    assertThat(e.retryAfterSeconds()).isNull();
                });
    }

    @Test
    void should_free_the_concurrency_slot_after_the_run() {
        LimitsService limits = service(new LimitsProperties.Config(null, null, 1L, null, null, null, null));

        LimitsService.Admission a = limits.admit(subject(null), 0, 0);
        assertThatThrownBy(() -> limits.admit(subject(null), 0, 0)).isInstanceOf(GatewayException.class);
        limits.settle(a, 0, 0);

        limits.release(limits.admit(subject(null), 0, 0));
    }

    @Test
    void should_apply_the_tightest_of_workspace_and_release_limits_and_take_nothing_when_refused() {
        LimitsService limits = service(new LimitsProperties.Config(10L, null, null, null, null, null, null));
        LimitSet release = new LimitSet(2L, null, null, null, null);

        limits.admit(subject(release), 0, 0);
        limits.admit(subject(release), 0, 0);
        GatewayException e = org.junit.jupiter.api.Assertions.assertThrows(GatewayException.class,
                () -> limits.admit(subject(release), 0, 0));

        assertThat(e.headers()).containsEntry("RateLimit-Limit", "2").containsEntry("RateLimit-Remaining", "0");
        assertThat(e.retryAfterSeconds()).isBetween(1L, 60L);
        // the refused request did not use the workspace's window: 8 more fit another release
        for (int i = 0; i < 8; i++) {
            limits.admit(subject(null), 0, 0);
        }
        assertThatThrownBy(() -> limits.admit(subject(null), 0, 0)).isInstanceOf(GatewayException.class);
    }

    @Test
    void should_count_spend_from_the_usage_log_against_the_monthly_cap_until_the_month_ends() {
        store.spent = 9_500_000;
        LimitsService limits = service(new LimitsProperties.Config(null, null, null, null, "10", null, null));

        LimitsService.Admission a = limits.admit(subject(null), 0, 400_000);
        limits.settle(a, 0, 300_000);

        GatewayException e = org.junit.jupiter.api.Assertions.assertThrows(GatewayException.class,
                () -> limits.admit(subject(null), 0, 300_000));
        assertThat(e.code()).isEqualTo("quota_exceeded");
        assertThat(e.extensions()).containsEntry("reset_at", "2026-04-01T00:00:00Z");
        assertThat(e.headers()).containsEntry("RateLimit-Remaining", "0.200000");
    }

    @Test
    void should_take_no_slot_while_a_run_is_queued_and_the_slot_when_it_starts_until_it_ends() {
        LimitsService limits = service(new LimitsProperties.Config(null, null, 1L, null, null, null, null));
        // queued runs are admitted whatever the slots
        limits.settle(limits.admit(subject(null), 0, 0, LimitsService.Slots.NONE), 0, 0);
        limits.settle(limits.admit(subject(null), 0, 0, LimitsService.Slots.NONE), 0, 0);

        Optional<LimitsService.Admission> first = limits.acquireSlots(subject(null));
        assertThat(first).isPresent();
        assertThat(limits.acquireSlots(subject(null))).isEmpty();
        assertThatThrownBy(() -> limits.admit(subject(null), 0, 0)).isInstanceOf(GatewayException.class)
                .hasFieldOrPropertyWithValue("code", "rate_limited");

        limits.settle(first.get(), 17, 0);
        assertThat(limits.acquireSlots(subject(null))).isPresent();
    }

    @Test
    void should_correct_a_queued_runs_estimate_to_its_actual_usage_when_it_ends() {
        // given: 1,000 tokens per minute; a run queued with an estimate of 600, counted at submission
        LimitsService limits = service(new LimitsProperties.Config(null, 1000L, null, null, null, null, null));
        LimitsService.Admission queued = limits.admit(subject(null), 600, 0, LimitsService.Slots.NONE);
        limits.settle(queued, 600, 0);
        assertThatThrownBy(() -> limits.admit(subject(null), 500, 0)).isInstanceOf(GatewayException.class)
                .hasFieldOrPropertyWithValue("code", "rate_limited");

        // when: the worker starts it and it uses 100
        LimitsService.Admission started = limits.acquireSlots(subject(null), 600).orElseThrow();
        assertThat(started.tokensHeld()).isEqualTo(600);
        limits.settle(started, 100, 0);

        // then: 900 are free again
        limits.admit(subject(null), 900, 0);
    }

    @Test
    void should_count_a_queued_runs_usage_beyond_its_estimate_and_keep_its_estimate_when_its_start_is_deferred() {
        LimitsService limits = service(new LimitsProperties.Config(null, 1000L, null, null, null, null, null));
        limits.settle(limits.admit(subject(null), 300, 0, LimitsService.Slots.NONE), 300, 0);

        // a start that is put back (e.g. no free slot further on) leaves the queued estimate counted
        limits.release(limits.acquireSlots(subject(null), 300).orElseThrow());
        assertThatThrownBy(() -> limits.admit(subject(null), 800, 0)).isInstanceOf(GatewayException.class)
                .hasFieldOrPropertyWithValue("code", "rate_limited");

        // a later step took 400 more, and the run used 900 in all
        LimitsService.Admission started = limits.acquireSlots(subject(null), 300).orElseThrow();
        limits.takeMoreTokens(started, 400);
        limits.settle(started, 900, 0);

        assertThatThrownBy(() -> limits.admit(subject(null), 200, 0)).isInstanceOf(GatewayException.class)
                .hasFieldOrPropertyWithValue("code", "rate_limited");
        limits.admit(subject(null), 100, 0);
    }

    @Test
    void should_let_a_nested_run_use_its_parents_workspace_slot_but_not_exceed_its_release_slot() {
        LimitsService limits = service(new LimitsProperties.Config(null, null, 1L, null, null, null, null));
        LimitSet oneAtATime = new LimitSet(null, null, 1L, null, null);
        limits.admit(subject(null), 0, 0); // the parent holds the workspace's only slot

        LimitsService.Admission nested = limits.admit(subject(oneAtATime), 0, 0, LimitsService.Slots.RELEASE);

        assertThatThrownBy(() -> limits.admit(subject(oneAtATime), 0, 0, LimitsService.Slots.RELEASE))
                .isInstanceOf(GatewayException.class).hasFieldOrPropertyWithValue("code", "rate_limited");
        limits.settle(nested, 0, 0);
        limits.admit(subject(oneAtATime), 0, 0, LimitsService.Slots.RELEASE);
    }
}
