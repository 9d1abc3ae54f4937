package io.aimp.gateway.providers;

import static io.aimp.gateway.providers.FakeProvider.answer;
import static io.aimp.gateway.providers.FakeProvider.failure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aimp.gateway.providers.ProviderFailure.FailureClass;
import io.aimp.gateway.support.TestClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The router's meters: tries by route, outcome and failure class, their latency, and the breaker's state. */
class RouteMetersTest {

    final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    double attempts(String provider, String outcome, String failureClass) {
        var c = registry.find(RouteMeters.ATTEMPTS).tags("provider", provider, "provider_model", "m", "outcome", outcome,
                "failure_class", failureClass).counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void should_count_each_try_by_outcome_and_class_and_show_the_breaker_opening() {
        FakeProvider a = new FakeProvider("a", failure(FailureClass.SERVER_ERROR), failure(FailureClass.SERVER_ERROR),
                failure(FailureClass.SERVER_ERROR));
        FakeProvider b = new FakeProvider("b", answer("one"), answer("two"), answer("three"));
        RouterSettings settings = new RouterSettings(0, Duration.ofMillis(1), Duration.ofSeconds(2), 2, 2, 50,
                Duration.ofSeconds(30), 1);
        Router router = new Router(name -> Optional.ofNullable(switch (name) {
            case "a" -> (Provider) a;
            case "b" -> b;
            default -> null;
        }), settings, new TestClock(), d -> { }, () -> 0.0, registry);
        List<Route> routes = List.of(new Route("a", "m", Duration.ofSeconds(1)), new Route("b", "m", Duration.ofSeconds(1)));

        for (int i = 0; i < 3; i++) {
            router.execute(routes, RouterTest.CHAT);
        }

        assertThat(attempts("a", Attempt.FAILED, "server_error")).isEqualTo(2);
        assertThat(attempts("a", Attempt.SKIPPED, "circuit_open")).isEqualTo(1);
        assertThat(attempts("b", Attempt.OK, "none")).isEqualTo(3);
        assertThat(registry.find(RouteMeters.LATENCY).tags("provider", "a", "outcome", Attempt.FAILED).timer().count())
                .isEqualTo(2);
        assertThat(registry.find(RouteMeters.BREAKER).tags("provider", "a", "provider_model", "m").gauge().value())
                .isEqualTo(1.0);
        assertThat(registry.find(RouteMeters.BREAKER).tags("provider", "b", "provider_model", "m").gauge().value())
                .isEqualTo(0.0);
    }

    @Test
    void should_count_a_route_whose_provider_is_not_configured_as_skipped() {
        FakeProvider b = new FakeProvider("b", answer("ok"));
        Router router = new Router(name -> name.equals("b") ? Optional.of(b) : Optional.empty(), RouterSettings.defaults(),
                new TestClock(), d -> { }, () -> 0.0, registry);
        router.execute(List.of(new Route("gone", "m", Duration.ofSeconds(1)), new Route("b", "m", Duration.ofSeconds(1))),
                RouterTest.CHAT);
        assertThat(attempts("gone", Attempt.SKIPPED, "not_found")).isEqualTo(1);
        assertThatThrownBy(() -> router.execute(List.of(new Route("gone", "m", Duration.ofSeconds(1))), RouterTest.CHAT))
                .isInstanceOf(io.aimp.gateway.common.GatewayException.class);
    }
}
