package io.aimp.gateway.providers;

import io.aimp.gateway.common.ErrorCategory;
import io.aimp.gateway.common.GatewayException;
import io.aimp.gateway.providers.ProviderFailure.FailureClass;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.DoubleSupplier;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Runs one provider call over a release's routes: fallback is data plus one loop. Each route is
 * tried once, a retryable failure is retried up to {@code maxRetries} times with jittered
 * exponential backoff (or the provider's {@code Retry-After} when it is short), and a failure that
 * allows it falls back to the next route. A circuit breaker per (provider, model) skips routes
 * that keep failing. Every try is kept as an {@link Attempt}.
 *
 * <p>A call may carry the caller's deadline (the run's {@code timeout_ms}): each try gets the lesser
 * of its route's timeout and the time left, no retry or fallback starts past it, and a try that ran
 * out of the caller's time is not held against the route's breaker. Only failures the provider is
 * answerable for count there: errors, refused connections and its route's own configured timeout.
 */
@Component
public class Router {

    /** Waits between tries; replaced in tests so they do not sleep. */
    @FunctionalInterface
    interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    private final Function<String, Optional<Provider>> providers;
    private final RouterSettings settings;
    private final Sleeper sleeper;
    private final DoubleSupplier jitter;
    private final CircuitBreakerConfig breakerConfig;
    private final Clock clock;
    private final Map<String, CircuitBreaker> breakers = new ConcurrentHashMap<>();
    private final Map<String, RouteMeters> meters = new ConcurrentHashMap<>();
    private final MeterRegistry registry;

    @Autowired
    public Router(ProviderRegistry registry, RouterSettings settings, MeterRegistry meterRegistry) {
        this(registry::find, settings, Clock.systemUTC(), d -> Thread.sleep(d),
                () -> ThreadLocalRandom.current().nextDouble(), meterRegistry);
    }

    Router(Function<String, Optional<Provider>> providers, RouterSettings settings, Clock clock, Sleeper sleeper,
           DoubleSupplier jitter) {
        this(providers, settings, clock, sleeper, jitter, new SimpleMeterRegistry());
    }

    Router(Function<String, Optional<Provider>> providers, RouterSettings settings, Clock clock, Sleeper sleeper,
           DoubleSupplier jitter, MeterRegistry meterRegistry) {
        this.registry = meterRegistry;
        this.providers = providers;
        this.settings = settings;
        this.sleeper = sleeper;
        this.jitter = jitter;
        this.clock = clock;
        this.breakerConfig = CircuitBreakerConfig.custom()
                .slidingWindow(settings.circuitWindow(), settings.circuitMinimumCalls(), SlidingWindowType.COUNT_BASED)
                .failureRateThreshold(settings.circuitFailureRatePercent())
                .waitDurationInOpenState(settings.circuitOpenDuration())
                .permittedNumberOfCallsInHalfOpenState(settings.circuitHalfOpenCalls())
                // a rejected or unsupported request says nothing about the provider's health
                .ignoreException(t -> t instanceof ProviderFailure f
                        && (f.failureClass() == FailureClass.BAD_REQUEST || f.failureClass() == FailureClass.UNSUPPORTED))
                .recordException(t -> t instanceof ProviderFailure)
                .clock(clock)
                .build();
    }

    /**
     * Calls {@code call} with each route's provider until one returns.
     *
     * @return the value, the route that produced it and every attempt
     * @throws GatewayException         category {@code configuration} when no route names a configured provider
     * @throws ProviderRejectedRequest  when a provider classed the request as bad (no fallback)
     * @throws AllRoutesFailed          when every route failed or was skipped
     */
    public <T> Routed<T> execute(List<Route> routes, BiFunction<Provider, Route, T> call) {
        return execute(routes, Long.MAX_VALUE, call);
    }

    /**
     * Like {@link #execute(List, BiFunction)} within the caller's deadline ({@code deadlineMillis} on
     * this router's clock): the route handed to {@code call} carries the timeout of that one try.
     *
     * @throws AllRoutesFailed 504 {@code run_timeout} when the deadline ended the call before a result
     */
    public <T> Routed<T> execute(List<Route> routes, long deadlineMillis, BiFunction<Provider, Route, T> call) {
        if (routes.isEmpty()) {
            throw new IllegalArgumentException("a release needs at least one route");
        }
        List<Optional<Provider>> resolved = routes.stream().map(r -> providers.apply(r.provider())).toList();
        if (resolved.stream().allMatch(Optional::isEmpty)) {
            throw notConfigured(routes);
        }
        List<Attempt> attempts = new ArrayList<>();
        Waits waits = new Waits();
        for (int i = 0; i < routes.size(); i++) {
            Route route = routes.get(i);
            Optional<Provider> provider = resolved.get(i);
            if (provider.isEmpty()) {
                add(attempts, new Attempt(i, route.provider(), route.model(), 1, Attempt.SKIPPED, FailureClass.NOT_FOUND, null, 0));
                waits.add(null);
                continue;
            }
            CircuitBreaker breaker = breakers.computeIfAbsent(route.provider() + "/" + route.model(), key -> {
                CircuitBreaker b = CircuitBreaker.of(key, breakerConfig);
                meters(route.provider(), route.model()).watch(b);
                return b;
            });
            for (int tryNumber = 1; ; tryNumber++) {
                long left = deadlineMillis - clock.millis();
                if (left <= 0) {
                    add(attempts, new Attempt(i, route.provider(), route.model(), tryNumber, Attempt.SKIPPED,
                            FailureClass.DEADLINE, null, 0));
                    throw AllRoutesFailed.deadline(attempts);
                }
                // the caller's deadline, not the route's own timeout, bounds this try
                boolean callerBound = left < route.timeout().toMillis();
                Route attempt = callerBound ? new Route(route.provider(), route.model(), Duration.ofMillis(left)) : route;
                if (!breaker.tryAcquirePermission()) {
                    add(attempts, new Attempt(i, route.provider(), route.model(), tryNumber, Attempt.SKIPPED,
                            FailureClass.CIRCUIT_OPEN, null, 0));
                    // an upper bound: the breaker does not say how much of its open time is left
                    waits.add(settings.circuitOpenDuration());
                    break;
                }
                long start = System.nanoTime();
                ProviderFailure failure;
                try {
                    T value = call.apply(provider.get(), attempt);
                    long nanos = System.nanoTime() - start;
                    breaker.onSuccess(nanos, TimeUnit.NANOSECONDS);
                    add(attempts, new Attempt(i, route.provider(), route.model(), tryNumber, Attempt.OK, null, null,
                            TimeUnit.NANOSECONDS.toMillis(nanos)));
                    return new Routed<>(value, route, attempts);
                } catch (ProviderFailure f) {
                    if (callerBound && (f.failureClass() == FailureClass.TIMEOUT || clock.millis() >= deadlineMillis)) {
                        // the caller's time ran out, not the provider's (a try cut to the time left that timed out
                        // is the caller's deadline, even when the client's timer fired a moment before the
                        // gateway's clock reached it): nothing to hold against the route
                        breaker.releasePermission();
                        add(attempts, new Attempt(i, route.provider(), route.model(), tryNumber, Attempt.FAILED,
                                FailureClass.DEADLINE, f.httpStatus(),
                                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)));
                        throw AllRoutesFailed.deadline(attempts);
                    }
                    breaker.onError(System.nanoTime() - start, TimeUnit.NANOSECONDS, f);
                    failure = f;
                } catch (RuntimeException bug) {
                    // not a provider failure: a defect in the caller or adapter, which a fallback would hide
                    breaker.releasePermission();
                    throw bug;
                }
                add(attempts, new Attempt(i, route.provider(), route.model(), tryNumber, Attempt.FAILED,
                        failure.failureClass(), failure.httpStatus(),
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)));
                if (!failure.fallbackAllowed()) {
                    throw new ProviderRejectedRequest(attempts);
                }
                Optional<Duration> wait = retryDelay(failure, tryNumber);
                if (wait.isEmpty()) {
                    waits.add(failure.failureClass() == FailureClass.RATE_LIMITED ? failure.retryAfter() : null);
                    break;
                }
                if (wait.get().toMillis() >= deadlineMillis - clock.millis()) {
                    // no time left for the retry after the wait: the next route may still fit
                    waits.add(null);
                    break;
                }
                if (!pause(wait.get())) {
                    // interrupted (shutdown or cancel): stop and report what happened so far
                    throw new AllRoutesFailed(attempts, null);
                }
            }
        }
        throw new AllRoutesFailed(attempts, waits.soonest());
    }

    /** Keeps the try and counts it on its route's meters. */
    private void add(List<Attempt> attempts, Attempt a) {
        attempts.add(a);
        meters(a.provider(), a.model()).record(a);
    }

    private RouteMeters meters(String provider, String model) {
        String key = provider + "/" + model;
        RouteMeters m = meters.get(key);
        return m != null ? m : meters.computeIfAbsent(key, k -> new RouteMeters(registry, provider, model));
    }

    /** Empty when the route should not be tried again. */
    private Optional<Duration> retryDelay(ProviderFailure failure, int tryNumber) {
        if (!failure.retryable() || tryNumber > settings.maxRetries()) {
            return Optional.empty();
        }
        Duration retryAfter = failure.retryAfter();
        if (retryAfter != null) {
            return retryAfter.compareTo(settings.retryAfterCap()) <= 0 ? Optional.of(retryAfter) : Optional.empty();
        }
        long backoff = settings.backoffBase().toMillis() << (tryNumber - 1);
        return Optional.of(Duration.ofMillis((long) (backoff * (0.5 + 0.5 * jitter.getAsDouble()))));
    }

    private boolean pause(Duration d) {
        try {
            sleeper.sleep(d);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static GatewayException notConfigured(List<Route> routes) {
        String names = routes.stream().map(r -> "aimp.providers." + r.provider()).distinct()
                .collect(Collectors.joining(", "));
        return GatewayException.of(ErrorCategory.CONFIGURATION, "provider_not_configured",
                        "No provider of this model is configured; set " + names)
                .build();
    }

    /** The waits the failed routes asked for; a 503 with Retry-After only when every failure was such a wait. */
    private static final class Waits {
        private boolean allWaits = true;
        private Duration soonest;

        void add(Duration wait) {
            if (wait == null) {
                allWaits = false;
            } else if (soonest == null || wait.compareTo(soonest) < 0) {
                soonest = wait;
            }
        }

        Duration soonest() {
            return allWaits ? soonest : null;
        }
    }
}
