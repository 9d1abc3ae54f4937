package io.aimp.gateway.providers;

import io.aimp.gateway.common.ErrorCategory;
import io.aimp.gateway.common.GatewayException;
import java.time.Duration;
import java.util.List;

/**
 * Every route of a release was tried (or skipped) and none produced a result. Status 504 when
 * every failure was a timeout, 503 with {@code Retry-After} when every failure was a wait the
 * provider or a circuit breaker asked for, 502 otherwise.
 */
public final class AllRoutesFailed extends RoutingException {

    AllRoutesFailed(List<Attempt> attempts, Duration retryAfter) {
        super(builder(attempts, retryAfter), attempts);
    }

    private AllRoutesFailed(GatewayException.Builder builder, List<Attempt> attempts) {
        super(builder, attempts);
    }

    /** The caller's deadline (the run's timeout) ended the call: 504 {@code run_timeout}. */
    static AllRoutesFailed deadline(List<Attempt> attempts) {
        return new AllRoutesFailed(GatewayException.of(ErrorCategory.EXECUTION, "run_timeout",
                "the run's timeout (options.timeout_ms, else the sum of its routes' timeouts) ended before a provider "
                        + "answered: " + summary(attempts)).status(504), attempts);
    }

    private static GatewayException.Builder builder(List<Attempt> attempts, Duration retryAfter) {
        List<Attempt> failed = attempts.stream().filter(a -> !a.ok()).toList();
        boolean allTimeouts = !failed.isEmpty()
                && failed.stream().allMatch(a -> a.failureClass() == ProviderFailure.FailureClass.TIMEOUT);
        GatewayException.Builder b = GatewayException.of(ErrorCategory.PROVIDER, "all_routes_failed",
                "Every provider route failed: " + summary(attempts));
        if (allTimeouts) {
            b.status(504);
        } else if (retryAfter != null) {
            b.status(503).retryAfter((retryAfter.toMillis() + 999) / 1000);
        } else {
            b.status(502);
        }
        return b;
    }
}
