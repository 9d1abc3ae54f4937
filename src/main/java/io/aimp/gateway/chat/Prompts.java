package io.aimp.gateway.chat;

import io.aimp.gateway.common.ErrorCategory;
import io.aimp.gateway.common.GatewayException;
import java.util.List;

/** How retrieved passages enter a prompt or make a reply. */
public final class Prompts {

    static final String NOTHING_FOUND = "I found nothing in my knowledge base about that.";

    private Prompts() {
    }

    /** The persona followed by the numbered passages, or {@code null} when there is neither. */
    static String system(String persona, List<Retriever.Passage> passages) {
        if (passages.isEmpty()) {
            return persona == null || persona.isBlank() ? null : persona;
        }
        StringBuilder sb = new StringBuilder();
        if (persona != null && !persona.isBlank()) {
            sb.append(persona).append("\n\n");
        }
        sb.append("Answer from the numbered passages below when they help, and cite them as [n].\n");
        sb.append(numbered(passages));
        return sb.toString();
    }

    /** The reply of a retrieval-only chatbot: the passages found, best first, numbered like the citations. */
    static String passagesReply(List<Retriever.Passage> passages) {
        if (passages.isEmpty()) {
            return NOTHING_FOUND;
        }
        return "From the knowledge base:\n" + numbered(passages);
    }

    /** Passages as {@code [1] (source) text} lines. */
    public static String numbered(List<Retriever.Passage> passages) {
        StringBuilder sb = new StringBuilder();
        int i = 1;
        for (Retriever.Passage p : passages) {
            sb.append('[').append(i++).append("] ");
            if (p.source() != null) {
                sb.append('(').append(p.source()).append(") ");
            }
            sb.append(p.text() == null ? "" : p.text().strip()).append('\n');
        }
        return sb.toString().stripTrailing();
    }

    /** The problem of a model that needs knowledge-base search on a gateway without it. */
    public static GatewayException noRetriever(String slug) {
        return GatewayException.of(ErrorCategory.CONFIGURATION, "retrieval_not_available",
                "model " + slug + " searches a knowledge base, but knowledge-base search (the vectors feature) "
                        + "is not available on this gateway").build();
    }
}
