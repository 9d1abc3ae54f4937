package io.aimp.gateway.providers;

import static io.aimp.gateway.providers.FakeProvider.answer;
import static io.aimp.gateway.providers.FakeProvider.failure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.aimp.gateway.common.ErrorCategory;
import io.aimp.gateway.common.GatewayException;
import io.aimp.gateway.providers.ProviderFailure.FailureClass;
import io.aimp.gateway.support.TestClock;
import java.net.http.HttpHeaders;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class RouterTest {

    static final ChatRequest HELLO = ChatRequest.of("m", List.of(ChatMessage.user("hello")));
    static final BiFunction<Provider, Route, ChatResult> CHAT = (p, r) -> p.chat(HELLO, r.timeout());

    final List<Duration> sleeps = new ArrayList<>();
    final TestClock clock = new TestClock();

    Router router(RouterSettings settings, FakeProvider... providers) {
        Map<String, Provider> byName = Arrays.stream(providers).collect(Collectors.toMap(Provider::name, p -> p));
        Function<String, Optional<Provider>> lookup = name -> Optional.ofNullable(byName.get(name));
        return new Router(lookup, settings, clock, sleeps::add, () -> 0.0);
    }

    Router router(FakeProvider... providers) {
        return router(RouterSettings.defaults(), providers);
    }

    static Route route(String provider) {
        return new Route(provider, "m", Duration.ofSeconds(1));
    }

    static ProviderFailure rateLimited(String retryAfterSeconds) {
        HttpHeaders headers = HttpHeaders.of(Map.of("Retry-After", List.of(retryAfterSeconds)), (a, b) -> true);
        return ProviderFailure.fromStatus(429, headers, java.time.Clock.systemUTC());
    }

    @Test
    void should_return_the_first_routes_answer_with_one_ok_attempt() {
        // given
        FakeProvider a = new FakeProvider("a", answer("from a"));

        // when
        Routed<ChatResult> routed = router(a).execute(List.of(route("a")), CHAT);

        // then
        assertThat(routed.value().text()).isEqualTo("from a");
        assertThat(routed.route().provider()).isEqualTo("a");
        assertThat(routed.attempts()).singleElement().satisfies(at -> {
            assertThat(at.outcome()).isEqualTo("ok");
            assertThat(at.failureClass()).isNull();
            assertThat(at.tryNumber()).isEqualTo(1);
        });
    }

    @Test
    void should_back_off_exponentially_with_jitter_between_retries() {
        // given
        FakeProvider a = new FakeProvider("a", failure(FailureClass.CONNECTION), failure(FailureClass.SERVER_ERROR), answer("ok"));

        // when
        Routed<ChatResult> routed = router(a).execute(List.of(route("a")), CHAT);

        // then: base 100 ms doubled per retry; jitter 0 gives the lower half bound
        assertThat(routed.value().text()).isEqualTo("ok");
        assertThat(sleeps).containsExactly(Duration.ofMillis(50), Duration.ofMillis(100));
        assertThat(routed.attempts()).extracting(Attempt::tryNumber).containsExactly(1, 2, 3);
    }

    @Test
    void should_raise_a_configuration_problem_naming_the_setting_when_no_route_has_a_configured_provider() {
        // when
        GatewayException e = catchThrowableOfType(GatewayException.class,
                () -> router(new FakeProvider("a", answer("x"))).execute(List.of(route("openai"), route("anthropic")), CHAT));

        // then
        assertThat(e.category()).isEqualTo(ErrorCategory.CONFIGURATION);
        assertThat(e.code()).isEqualTo("provider_not_configured");
        assertThat(e.detail()).contains("aimp.providers.openai").contains("aimp.providers.anthropic");
    }

    @Test
    void should_skip_an_unconfigured_route_and_use_the_next() {
        // given
        FakeProvider b = new FakeProvider("b", answer("from b"));

        // when
        Routed<ChatResult> routed = router(b).execute(List.of(route("missing"), route("b")), CHAT);

        // then
        assertThat(routed.value().text()).isEqualTo("from b");
        assertThat(routed.attempts()).extracting(Attempt::outcome).containsExactly("skipped", "ok");
        assertThat(routed.attempts().getFirst().failureClass()).isEqualTo(FailureClass.NOT_FOUND);
    }

    @Test
    void should_move_on_without_waiting_when_retry_after_exceeds_the_cap() {
        // given
        FakeProvider a = new FakeProvider("a", rateLimited("60"));
        FakeProvider b = new FakeProvider("b", answer("from b"));

        // when
        Routed<ChatResult> routed = router(a, b).execute(List.of(route("a"), route("b")), CHAT);

        // then
        assertThat(routed.value().text()).isEqualTo("from b");
        assertThat(a.calls()).isEqualTo(1);
        assertThat(sleeps).isEmpty();
    }

    @Test
    void should_not_retry_authentication_or_not_found_failures_but_fall_back() {
        // given
        FakeProvider a = new FakeProvider("a", failure(FailureClass.AUTHENTICATION));
        FakeProvider b = new FakeProvider("b", failure(FailureClass.NOT_FOUND));
        FakeProvider c = new FakeProvider("c", answer("from c"));

        // when
        Routed<ChatResult> routed = router(a, b, c).execute(List.of(route("a"), route("b"), route("c")), CHAT);

        // then
        assertThat(routed.value().text()).isEqualTo("from c");
        assertThat(a.calls()).isEqualTo(1);
        assertThat(b.calls()).isEqualTo(1);
        assertThat(sleeps).isEmpty();
    }

    @Test
    void should_answer_504_when_every_failure_is_a_timeout() {
        // given
        FakeProvider a = new FakeProvider("a", failure(FailureClass.TIMEOUT));
        FakeProvider b = new FakeProvider("b", failure(FailureClass.TIMEOUT));

        // when
        AllRoutesFailed e = catchThrowableOfType(AllRoutesFailed.class,
                () -> router(a, b).execute(List.of(route("a"), route("b")), CHAT));

        // then
        assertThat(e.status()).isEqualTo(504);
        assertThat(e.attempts()).hasSize(6).allSatisfy(at -> assertThat(at.failureClass()).isEqualTo(FailureClass.TIMEOUT));
    }

    @Test
    void should_answer_503_with_the_soonest_retry_after_when_every_route_is_rate_limited() {
        // given
        FakeProvider a = new FakeProvider("a", rateLimited("30"));
        FakeProvider b = new FakeProvider("b", rateLimited("12"));

        // when
        AllRoutesFailed e = catchThrowableOfType(AllRoutesFailed.class,
                () -> router(a, b).execute(List.of(route("a"), route("b")), CHAT));

        // then
        assertThat(e.status()).isEqualTo(503);
        assertThat(e.retryAfterSeconds()).isEqualTo(12);
        assertThat(e.category()).isEqualTo(ErrorCategory.PROVIDER);
    }

    @Test
    void should_let_a_defect_that_is_not_a_provider_failure_propagate() {
        // given
        Router router = router(new FakeProvider("a", answer("x")));

        // when
        IllegalStateException e = catchThrowableOfType(IllegalStateException.class,
                () -> router.execute(List.of(route("a")), (p, r) -> {
                    throw new IllegalStateException("bug");
                }));

        // then
        assertThat(e).hasMessage("bug");
    }
}
