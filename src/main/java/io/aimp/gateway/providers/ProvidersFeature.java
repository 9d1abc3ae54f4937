package io.aimp.gateway.providers;

import io.aimp.gateway.common.FeatureFlag;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.springframework.stereotype.Component;

/** The providers this gateway has configured, by name only (never a URL or a key). */
@Component
class ProvidersFeature implements FeatureFlag {

    private final List<String> names;

    ProvidersFeature(ProviderRegistry registry) {
        this.names = List.copyOf(new TreeSet<>(registry.names()));
    }

    @Override
    public String name() {
        return "providers";
    }

    @Override
    public boolean enabled() {
        return !names.isEmpty();
    }

    @Override
    public Map<String, Object> details() {
        return Map.of("configured", names);
    }
}
