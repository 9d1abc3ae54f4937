package io.aimp.gateway.catalog;

import java.time.Instant;
import java.util.List;

/**
 * An immutable release of a published model.
 *
 * @param routes       provider routes in fallback order, never empty
 * @param deprecated   the deprecation notice, or {@code null}; a deprecated release keeps running
 * @param deprecatedAt when the release was deprecated ({@code deprecated_at}; the catalog's load time when a
 *                     deprecated release does not say), or {@code null} when it is not deprecated
 * @param sunset       when the release stops answering ({@code sunset}), or {@code null}
 * @param retired      a retired release no longer runs: a run pinned to it answers 410 with the current release
 */
public record Release(String version, String hardwareTier, List<RouteSpec> routes, Pricing pricing,
                      ReleaseLimits limits, String deprecated, Instant deprecatedAt, Instant sunset, boolean retired) {

    public Release {
        routes = List.copyOf(routes);
    }

    public Release(String version, String hardwareTier, List<RouteSpec> routes, Pricing pricing, ReleaseLimits limits,
                   String deprecated) {
        this(version, hardwareTier, routes, pricing, limits, deprecated, null, null, false);
    }

    public boolean isDeprecated() {
        return deprecated != null;
    }
}
