package io.aimp.gateway.catalog;

import java.time.Duration;

/**
 * One provider route of a release, tried in catalog order. Internal: routes never appear on the wire.
 *
 * @param provider a configured provider name ({@code aimp.providers.<name>} or {@code local})
 * @param model    the provider's model name
 * @param timeout  per-attempt timeout (catalog {@code timeout_ms}, default 30 s)
 */
public record RouteSpec(String provider, String model, Duration timeout) {

    /** The one default of a route's timeout (catalog files, docs/catalog.md and the run deadline use it). */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    public RouteSpec {
        timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
    }
}
