package io.aimp.gateway.vectors;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Vector search settings ({@code aimp.vectors.*}).
 *
 * @param exactSearchBelow namespaces with fewer items are searched exactly (every vector scored);
 *                         larger ones through their HNSW index
 * @param hnswCandidates   how many candidates an HNSW search collects before the best {@code top_k}
 *                         are kept (more: better recall, slower)
 * @param cachedVectors    how many vectors of small namespaces are kept in memory for exact search
 */
@ConfigurationProperties("aimp.vectors")
public record VectorProperties(@DefaultValue("2000") int exactSearchBelow,
                               @DefaultValue("100") int hnswCandidates,
                               @DefaultValue("1000000") long cachedVectors) {

    public VectorProperties {
        if (exactSearchBelow < 0) {
            throw new IllegalArgumentException("aimp.vectors.exact-search-below must be 0 or more");
        }
        if (hnswCandidates < 1 || hnswCandidates > 10_000) {
            throw new IllegalArgumentException("aimp.vectors.hnsw-candidates must be between 1 and 10000");
        }
        if (cachedVectors < 0) {
            throw new IllegalArgumentException("aimp.vectors.cached-vectors must be 0 or more");
        }
    }
}
