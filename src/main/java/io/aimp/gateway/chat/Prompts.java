package io.aimp.gateway.chat;

import io.aimp.gateway.vectors.SearchHit;
import java.util.List;

/** How retrieved passages enter a prompt or make a reply. */
public final class Prompts {

    static final String NOTHING_FOUND = "I found nothing in my knowledge base about that.";

    private Prompts() {
    }

    /** The persona followed by the numbered passages, or {@code null} when there is neither. */
    static String system(String persona, List<SearchHit> passages) {
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
    static String passagesReply(List<SearchHit> passages) {
        if (passages.isEmpty()) {
            return NOTHING_FOUND;
        }
        return "From the knowledge base:\n" + numbered(passages);
    }

    /** Passages as {@code [1] (source) text} lines. */
    public static String numbered(List<SearchHit> passages) {
        StringBuilder sb = new StringBuilder();
        int i = 1;
        for (SearchHit p : passages) {
            sb.append('[').append(i++).append("] ");
            if (p.source() != null) {
                sb.append('(').append(p.source()).append(") ");
            }
            sb.append(p.text() == null ? "" : p.text().strip()).append('\n');
        }
        return sb.toString().stripTrailing();
    }
}
