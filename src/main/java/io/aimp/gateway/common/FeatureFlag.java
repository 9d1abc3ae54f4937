package io.aimp.gateway.common;

/** A feature that {@code GET /api/status/features} reports; each feature contributes one bean. */
public interface FeatureFlag {

    String name();

    boolean enabled();

    static FeatureFlag of(String name, boolean enabled) {
        return new FeatureFlag() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public boolean enabled() {
                return enabled;
            }
        };
    }
}
