package io.aimp.gateway.chat;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** Deletes conversations past their chatbot's {@code chat.retention.days}, every {@code aimp.chat.retention-interval}. */
@Component
class ConversationRetention {

    private final ConversationService conversations;

    ConversationRetention(ConversationService conversations) {
        this.conversations = conversations;
    }

    @Scheduled(fixedDelayString = "${aimp.chat.retention-interval:1h}", initialDelayString = "${aimp.chat.retention-interval:1h}")
    void run() {
        conversations.enforceRetention();
    }
}
