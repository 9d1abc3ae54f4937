package io.aimp.gateway.providers;

import java.time.Duration;
import java.util.Objects;

/** One entry of a release's fallback list: which provider and model to try, and for how long. */
public record Route(String provider, String model, Duration timeout) {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    public Route {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(model, "model");
        timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("route timeout must be positive");
        }
    }
}
