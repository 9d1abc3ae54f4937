package io.aimp.gateway.mcp;

import io.aimp.gateway.auth.Principal;
import io.aimp.gateway.vectors.VectorService;
import java.util.List;
import org.springframework.stereotype.Component;

/** The workspace's knowledge bases (model, collection, scope) for the {@code aimp://knowledge-bases} resource. */
@Component
class VectorKnowledgeBases implements KnowledgeBaseDirectory {

    private final VectorService vectors;

    VectorKnowledgeBases(VectorService vectors) {
        this.vectors = vectors;
    }

    @Override
    public List<?> knowledgeBases(Principal principal) {
        return vectors.knowledgeBases(principal).stream().map(VectorService::view).toList();
    }
}
