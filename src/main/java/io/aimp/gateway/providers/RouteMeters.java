package io.aimp.gateway.providers;

import io.aimp.gateway.providers.ProviderFailure.FailureClass;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The meters of one route (provider and provider model, both operator configuration, so few): tries by
 * outcome and failure class, their latency, and the state of the route's circuit breaker. Created once
 * per route and kept by the router, so recording a try looks nothing up and builds no tag list.
 */
final class RouteMeters {

    static final String ATTEMPTS = "aimp.provider.attempts";
    static final String LATENCY = "aimp.provider.attempt.duration";
    static final String BREAKER = "aimp.provider.breaker.state";

    private final MeterRegistry registry;
    private final Tags route;
    private final Counter ok;
    private final Timer okLatency;
    private final Timer failedLatency;
    /** Indexed by failure class ordinal; filled on first use (a race registers the same meter twice, harmlessly). */
    private final AtomicReferenceArray<Counter> failed = new AtomicReferenceArray<>(FailureClass.values().length);
    private final AtomicReferenceArray<Counter> skipped = new AtomicReferenceArray<>(FailureClass.values().length);

    RouteMeters(MeterRegistry registry, String provider, String model) {
        this.registry = registry;
        this.route = Tags.of("provider", provider, "provider_model", model);
        this.ok = counter(Attempt.OK, "none");
        this.okLatency = Timer.builder(LATENCY).description("provider call latency per try")
                .tags(route).tag("outcome", Attempt.OK).register(registry);
        this.failedLatency = Timer.builder(LATENCY).description("provider call latency per try")
                .tags(route).tag("outcome", Attempt.FAILED).register(registry);
    }

    /** Publishes the breaker's state: 0 closed, 1 open, 2 half open, 3 any other (disabled, forced open). */
    void watch(CircuitBreaker breaker) {
        Gauge.builder(BREAKER, breaker, RouteMeters::stateValue)
                .description("circuit breaker of the route: 0 closed, 1 open, 2 half open, 3 other")
                .tags(route).strongReference(true).register(registry);
    }

    static double stateValue(CircuitBreaker b) {
        return switch (b.getState()) {
            case CLOSED -> 0;
            case OPEN -> 1;
            case HALF_OPEN -> 2;
            default -> 3;
        };
    }

    void record(Attempt a) {
        switch (a.outcome()) {
            case Attempt.OK -> {
                ok.increment();
                okLatency.record(a.latencyMs(), TimeUnit.MILLISECONDS);
            }
            case Attempt.FAILED -> {
                of(failed, Attempt.FAILED, a.failureClass()).increment();
                failedLatency.record(a.latencyMs(), TimeUnit.MILLISECONDS);
            }
            default -> of(skipped, Attempt.SKIPPED, a.failureClass()).increment();
        }
    }

    private Counter of(AtomicReferenceArray<Counter> byClass, String outcome, FailureClass fc) {
        int i = fc.ordinal();
        Counter c = byClass.get(i);
        if (c == null) {
            c = counter(outcome, fc.wireName());
            byClass.set(i, c);
        }
        return c;
    }

    private Counter counter(String outcome, String failureClass) {
        return Counter.builder(ATTEMPTS).description("provider tries by route, outcome and failure class")
                .tags(route).tag("outcome", outcome).tag("failure_class", failureClass).register(registry);
    }
}
