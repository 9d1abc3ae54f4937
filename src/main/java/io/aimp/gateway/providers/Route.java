package io.aimp.gateway.providers;

import java.time.Duration;
import java.util.Objects;

/**
 * One entry of a release's fallback list: which provider and model to try, and for how long. The
 * default timeout is the catalog's ({@code RouteSpec}); a route here always carries its own.
 */
public record Route(String provider, String model, Duration timeout) {

    public Route {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("route timeout must be positive");
        }
    }
}
