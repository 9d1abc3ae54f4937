package io.aimp.gateway.chat;

import java.util.ArrayList;
import java.util.List;

/** The memory policy: which earlier messages of a conversation go back to the provider. */
final class Memory {

    private Memory() {
    }

    /**
     * The last {@code turns} turns (a user message and its reply each), then fewer while their estimated
     * tokens (4 characters a token) exceed {@code maxTokens}. Whole turns are dropped, oldest first.
     */
    static List<ConversationMessage> window(List<ConversationMessage> oldestFirst, int turns, Integer maxTokens) {
        List<ConversationMessage> kept = new ArrayList<>(oldestFirst);
        // a window must start at a user message so a reply never arrives without its question
        while (!kept.isEmpty() && !"user".equals(kept.getFirst().role())) {
            kept.removeFirst();
        }
        while (kept.size() > turns * 2 || (maxTokens != null && !kept.isEmpty() && tokens(kept) > maxTokens)) {
            kept.removeFirst();
            while (!kept.isEmpty() && !"user".equals(kept.getFirst().role())) {
                kept.removeFirst();
            }
        }
        return kept;
    }

    private static long tokens(List<ConversationMessage> messages) {
        long chars = 0;
        for (ConversationMessage m : messages) {
            chars += m.content() == null ? 0 : m.content().length();
        }
        return (chars + 3) / 4;
    }
}
