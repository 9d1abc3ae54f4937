package io.aimp.gateway.providers;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code aimp.router.*}: retries and circuit breaking of provider routes.
 *
 * @param maxRetries                retries of a retryable failure per route (after the first try)
 * @param backoffBase               first backoff; doubled per retry, with jitter in [50 %, 100 %]
 * @param retryAfterCap             a provider's {@code Retry-After} up to this is waited for; a longer
 *                                  one moves on to the next route
 * @param circuitWindow             calls in the count-based sliding window of a (provider, model) breaker
 * @param circuitMinimumCalls       calls before the failure rate is judged
 * @param circuitFailureRatePercent failure rate that opens the breaker
 * @param circuitOpenDuration       how long an open breaker refuses calls before letting a few through
 * @param circuitHalfOpenCalls      trial calls in the half-open state
 */
@ConfigurationProperties("aimp.router")
public record RouterSettings(
        @DefaultValue("2") int maxRetries,
        @DefaultValue("100ms") Duration backoffBase,
        @DefaultValue("2s") Duration retryAfterCap,
        @DefaultValue("10") int circuitWindow,
        @DefaultValue("5") int circuitMinimumCalls,
        @DefaultValue("50") float circuitFailureRatePercent,
        @DefaultValue("30s") Duration circuitOpenDuration,
        @DefaultValue("2") int circuitHalfOpenCalls) {

    public RouterSettings {
        if (maxRetries < 0 || maxRetries > 5) {
            throw new IllegalArgumentException("aimp.router.max-retries must be between 0 and 5");
        }
        if (backoffBase.isNegative() || retryAfterCap.isNegative()) {
            throw new IllegalArgumentException("aimp.router.backoff-base and retry-after-cap must not be negative");
        }
        if (circuitWindow < 1 || circuitMinimumCalls < 1 || circuitHalfOpenCalls < 1) {
            throw new IllegalArgumentException("aimp.router.circuit-window, circuit-minimum-calls and circuit-half-open-calls must be at least 1");
        }
        if (circuitFailureRatePercent <= 0 || circuitFailureRatePercent > 100) {
            throw new IllegalArgumentException("aimp.router.circuit-failure-rate-percent must be in (0, 100]");
        }
        if (circuitOpenDuration.isNegative() || circuitOpenDuration.isZero()) {
            throw new IllegalArgumentException("aimp.router.circuit-open-duration must be positive");
        }
    }

    public static RouterSettings defaults() {
        return new RouterSettings(2, Duration.ofMillis(100), Duration.ofSeconds(2), 10, 5, 50f, Duration.ofSeconds(30), 2);
    }
}
