package io.aimp.gateway.playground;

import io.aimp.gateway.common.FeatureFlag;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * The playground is on wherever it is built in; who may use it is the {@code use_playground} permission, whose role
 * each workspace may set ({@link PlaygroundAccess}).
 */
@Component
class PlaygroundFeature implements FeatureFlag {

    @Override
    public String name() {
        return "playground";
    }

    @Override
    public boolean enabled() {
        return true;
    }

    @Override
    public Map<String, Object> details() {
        return Map.of("routes", List.of("/api/playground/compare", "/api/playground/evaluations",
                "/api/playground/settings"), "max_targets", PlaygroundRequests.MAX_TARGETS);
    }
}
