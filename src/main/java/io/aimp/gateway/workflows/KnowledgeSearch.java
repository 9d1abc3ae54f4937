package io.aimp.gateway.workflows;

import io.aimp.gateway.runs.Execution;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * What the {@code search} block queries: a workspace's knowledge base. The vectors feature provides
 * the implementation; without one, a workflow's search block fails with a {@code configuration} problem.
 */
public interface KnowledgeSearch {

    /** One passage found, best first. */
    record Hit(String id, String text, double score, JsonNode metadata) {
    }

    /**
     * Finds the passages nearest to {@code query} within the run's workspace; the query's embedding is a
     * metered call of {@code run}.
     *
     * @param scope the vector namespace, or {@code null} for the run's own scope
     * @throws io.aimp.gateway.common.GatewayException {@code invalid_request} when the knowledge base does not
     *         exist for this workspace, {@code configuration} when it cannot be searched
     */
    List<Hit> search(Execution run, String knowledgeBase, String scope, String query, int topK);
}
