package io.aimp.gateway.support;

import io.aimp.gateway.runs.Execution;
import io.aimp.gateway.workflows.KnowledgeSearch;
import java.util.List;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/** A knowledge base for workflow tests: knowledge base {@code handbook} answers one passage that quotes the query. */
@TestConfiguration(proxyBeanMethods = false)
public class TestKnowledgeSearch {

    public static final String PREFIX = "From the handbook: ";

    @Bean
    @org.springframework.context.annotation.Primary
    KnowledgeSearch knowledgeSearch() {
        return (Execution run, String knowledgeBase, String scope, String query, int topK) -> {
            if (!knowledgeBase.equals("handbook")) {
                return List.of();
            }
            return List.of(new KnowledgeSearch.Hit("doc-1", PREFIX + query, 0.92, null));
        };
    }
}
