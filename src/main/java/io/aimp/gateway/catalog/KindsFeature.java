package io.aimp.gateway.catalog;

import io.aimp.gateway.common.FeatureFlag;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/** The kinds of model this gateway can run: each has its catalog settings and an executor. */
@Component
class KindsFeature implements FeatureFlag {

    private final List<String> kinds;

    KindsFeature(CatalogService catalog) {
        this.kinds = catalog.kinds().stream().map(Kind::wireName).sorted().toList();
    }

    @Override
    public String name() {
        return "kinds";
    }

    @Override
    public boolean enabled() {
        return !kinds.isEmpty();
    }

    @Override
    public Map<String, Object> details() {
        return Map.of("runnable", kinds);
    }
}
