package io.aimp.gateway.vectors;

import io.aimp.gateway.catalog.CatalogService;
import io.aimp.gateway.catalog.Kind;
import io.aimp.gateway.common.FeatureFlag;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Vector search: on when the catalog has embedding models (index and search run through them); the index
 * is Lucene under the data directory, rebuilt from the database's items on each node.
 */
@Component
class VectorsFeature implements FeatureFlag {

    private final boolean on;

    VectorsFeature(CatalogService catalog) {
        this.on = catalog.all().stream().anyMatch(m -> Kind.EMBEDDING.equals(m.kind()));
    }

    @Override
    public String name() {
        return "vectors";
    }

    @Override
    public boolean enabled() {
        return on;
    }

    @Override
    public Map<String, Object> details() {
        return Map.of("index", "lucene");
    }
}
