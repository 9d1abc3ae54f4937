package io.aimp.gateway.mcp;

import io.aimp.gateway.auth.Principal;
import java.util.List;

/**
 * Fills the {@code aimp://knowledge-bases} resource: the indexed data of the caller's workspace, listed by
 * model, collection and scope. Every bean of this type contributes; with none the resource is {@code []}.
 * The vectors feature provides one through an adapter in this package, so the dependency points from
 * {@code mcp} to the feature service as DESIGN §5 asks.
 */
public interface KnowledgeBaseDirectory {

    /**
     * The knowledge bases the principal may see, as JSON-ready values (records or maps), never {@code null}.
     * Must not fail for a workspace that has none.
     */
    List<?> knowledgeBases(Principal principal);
}
