package io.aimp.gateway.chat;

import io.aimp.gateway.runs.Execution;
import java.util.List;
import java.util.Map;

/**
 * Finds the passages of a knowledge base closest to a query: the seam between chatbots or assistants
 * and the vector index. The vectors feature supplies the bean; without one, a model that asks for
 * retrieval answers a {@code configuration} problem.
 */
public interface Retriever {

    /** One retrieved passage; {@code source} names where it came from (document, title, ...), may be {@code null}. */
    record Passage(String id, String text, double score, String source, Map<String, Object> metadata) {

        public Passage {
            metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
        }
    }

    /**
     * The best {@code topK} passages scoring at least {@code minScore}, best first, searched within the
     * run's workspace (the query's embedding is a metered call of {@code run}, charged to it) and the given knowledge-base model, collection ({@code null}: the model's default)
     * and scope only.
     *
     * @throws io.aimp.gateway.common.GatewayException {@code invalid_request} for an unknown model or a
     *         malformed scope, {@code configuration} when the knowledge base cannot be searched here
     */
    List<Passage> search(Execution run, String model, String collection, String scope, String query, int topK,
                         double minScore);
}
