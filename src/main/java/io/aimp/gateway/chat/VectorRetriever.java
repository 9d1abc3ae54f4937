package io.aimp.gateway.chat;

import io.aimp.gateway.runs.Execution;
import io.aimp.gateway.vectors.SearchHit;
import io.aimp.gateway.vectors.VectorService;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;
import tools.jackson.databind.ObjectMapper;

/** Chatbot and assistant retrieval over the workspace's vector knowledge bases. */
@Component
class VectorRetriever implements Retriever {

    private final VectorService vectors;
    private final ObjectMapper json;

    VectorRetriever(VectorService vectors, ObjectMapper json) {
        this.vectors = vectors;
        this.json = json;
    }

    @Override
    public List<Passage> search(Execution run, String model, String collection, String scope, String query,
                                int topK, double minScore) {
        return vectors.search(run, model, collection, scope, query, topK, minScore).stream()
                .map(this::passage).toList();
    }

    @SuppressWarnings("unchecked")
    private Passage passage(SearchHit h) {
        return new Passage(h.id(), h.text(), h.score(), h.source(), json.convertValue(h.metadata(), Map.class));
    }
}
