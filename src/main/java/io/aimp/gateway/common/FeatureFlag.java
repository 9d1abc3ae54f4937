package io.aimp.gateway.common;

import java.util.Map;

/**
 * A feature that {@code GET /api/status/features} reports; each feature contributes one bean: whether it
 * is on, and what a client may want to know about it (never a secret, an address or a count).
 */
public interface FeatureFlag {

    String name();

    boolean enabled();

    /** What the feature offers, e.g. the scope of the limits or the media store's backend; empty by default. */
    default Map<String, Object> details() {
        return Map.of();
    }

    static FeatureFlag of(String name, boolean enabled) {
        return of(name, enabled, Map.of());
    }

    static FeatureFlag of(String name, boolean enabled, Map<String, Object> details) {
        Map<String, Object> copy = Map.copyOf(details);
        return new FeatureFlag() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public boolean enabled() {
                return enabled;
            }

            @Override
            public Map<String, Object> details() {
                return copy;
            }
        };
    }
}
