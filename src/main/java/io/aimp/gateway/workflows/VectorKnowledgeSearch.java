package io.aimp.gateway.workflows;

import io.aimp.gateway.runs.Execution;
import io.aimp.gateway.vectors.VectorService;
import java.util.List;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The {@code search} block over the workspace's vector knowledge bases: {@code knowledge_base} names an
 * embedding model, whose catalog entry fixes the collection.
 */
@Component
class VectorKnowledgeSearch implements KnowledgeSearch {

    private final VectorService vectors;
    private final ObjectMapper json;

    VectorKnowledgeSearch(VectorService vectors, ObjectMapper json) {
        this.vectors = vectors;
        this.json = json;
    }

    @Override
    public List<Hit> search(Execution run, String knowledgeBase, String scope, String query, int topK) {
        return vectors.search(run, knowledgeBase, null, scope, query, topK, 0.0).stream()
                .map(h -> new Hit(h.id(), h.text(), h.score(), h.metadata()))
                .toList();
    }
}
