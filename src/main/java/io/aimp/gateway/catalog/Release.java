package io.aimp.gateway.catalog;

import java.util.List;

/**
 * An immutable release of a published model.
 *
 * @param routes     provider routes in fallback order, never empty
 * @param deprecated the deprecation notice, or {@code null}; a deprecated release keeps running
 */
public record Release(String version, String hardwareTier, List<RouteSpec> routes, Pricing pricing,
                      ReleaseLimits limits, String deprecated) {

    public Release {
        routes = List.copyOf(routes);
    }

    public boolean isDeprecated() {
        return deprecated != null;
    }
}
