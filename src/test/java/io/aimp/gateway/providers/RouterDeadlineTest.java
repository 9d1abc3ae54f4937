package io.aimp.gateway.providers;

import static io.aimp.gateway.providers.FakeProvider.answer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.aimp.gateway.providers.ProviderFailure.FailureClass;
import io.aimp.gateway.support.TestClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/** The caller's deadline bounds every try and never counts against a route's circuit breaker. */
class RouterDeadlineTest {

    static final ChatRequest HELLO = ChatRequest.of("m", List.of(ChatMessage.user("hello")));
    static final BiFunction<Provider, Route, ChatResult> CHAT = (p, r) -> p.chat(HELLO, r.timeout());

    final TestClock clock = new TestClock();
    final List<Duration> sleeps = new ArrayList<>();

    /** A provider that never answers: each call uses up the timeout it was given on the test clock. */
    final class Hanging implements Provider {
        final List<Duration> timeouts = new ArrayList<>();
        volatile boolean hang = true;

        @Override
        public String name() {
            return "slow";
        }

        @Override
        public String type() {
            return "fake";
        }

        @Override
        public Set<Capability> capabilities() {
            return Set.of(Capability.CHAT);
        }

        @Override
        public ChatResult chat(ChatRequest request, Duration timeout) {
            timeouts.add(timeout);
            if (!hang) {
                return answer("ok");
            }
            clock.advance(timeout);
            throw ProviderFailure.of(FailureClass.TIMEOUT, "no answer within the timeout");
        }
    }

    Router router(Hanging provider) {
        return new Router(name -> Optional.of(provider), RouterSettings.defaults(), clock, d -> {
            sleeps.add(d);
            clock.advance(d);
        }, () -> 0.0);
    }

    static List<Route> routes() {
        return List.of(new Route("slow", "m", Duration.ofSeconds(30)), new Route("slow", "m2", Duration.ofSeconds(30)));
    }

    @Test
    void should_end_at_the_callers_deadline_when_every_try_times_out() {
        // given: routes of 30 s each with 2 retries, and a caller that gives the whole call 1.5 s
        Hanging slow = new Hanging();
        long start = clock.millis();

        // when
        AllRoutesFailed e = catchThrowableOfType(AllRoutesFailed.class,
                () -> router(slow).execute(routes(), start + 1_500, CHAT));

        // then: one try with the time left, no retry, no fallback, 504 run_timeout exactly at the deadline
        assertThat(slow.timeouts).containsExactly(Duration.ofMillis(1_500));
        assertThat(clock.millis() - start).isEqualTo(1_500);
        assertThat(e.status()).isEqualTo(504);
        assertThat(e.code()).isEqualTo("run_timeout");
        assertThat(e.attempts()).extracting(Attempt::failureClass).containsExactly(FailureClass.DEADLINE);
    }

    @Test
    void should_never_open_the_breaker_for_deadlines_the_caller_chose() {
        // given: far more caller-bound timeouts than the breaker's window
        Hanging slow = new Hanging();
        Router router = router(slow);
        for (int i = 0; i < 20; i++) {
            long now = clock.millis();
            catchThrowableOfType(AllRoutesFailed.class, () -> router.execute(routes(), now + 300, CHAT));
        }

        // when: the provider answers again
        slow.hang = false;
        Routed<ChatResult> routed = router.execute(routes(), CHAT);

        // then: the route was tried, not skipped as circuit_open
        assertThat(routed.attempts()).extracting(Attempt::outcome).containsExactly(Attempt.OK);
    }

    @Test
    void should_still_open_the_breaker_when_the_routes_own_timeout_expires() {
        // given: the caller's deadline is far; the route's own 30 s timeout runs out on every try
        Hanging slow = new Hanging();
        Router router = router(slow);
        long far = clock.millis() + Duration.ofDays(1).toMillis();
        catchThrowableOfType(AllRoutesFailed.class, () -> router.execute(List.of(routes().getFirst()), far, CHAT));
        catchThrowableOfType(AllRoutesFailed.class, () -> router.execute(List.of(routes().getFirst()), far, CHAT));

        // when
        slow.hang = false;
        AllRoutesFailed e = catchThrowableOfType(AllRoutesFailed.class,
                () -> router.execute(List.of(routes().getFirst()), CHAT));

        // then: 5 provider timeouts opened the breaker (minimum 5 calls, 50 %): the sixth try was skipped
        assertThat(slow.timeouts).hasSize(5).allSatisfy(t -> assertThat(t).isEqualTo(Duration.ofSeconds(30)));
        assertThat(e.attempts()).extracting(Attempt::failureClass).containsExactly(FailureClass.CIRCUIT_OPEN);
    }

    @Test
    void should_not_start_a_retry_whose_backoff_outlasts_the_deadline() {
        // given: a server error, 40 ms left and a first backoff of 50 ms
        FakeProvider failing = new FakeProvider("slow", FakeProvider.failure(FailureClass.SERVER_ERROR));
        Router router = new Router(name -> Optional.of(failing), RouterSettings.defaults(), clock, sleeps::add, () -> 0.0);
        long now = clock.millis();

        // when
        AllRoutesFailed e = catchThrowableOfType(AllRoutesFailed.class,
                () -> router.execute(List.of(new Route("slow", "m", Duration.ofSeconds(30))), now + 40, CHAT));

        // then
        assertThat(failing.calls()).isEqualTo(1);
        assertThat(sleeps).isEmpty();
        assertThat(e.status()).isEqualTo(502);
    }
}
