package io.aimp.gateway.chat;

import java.util.List;
import java.util.Optional;

/** Conversations and their messages. Writes run inside the caller's transaction when there is one. */
interface ConversationStore {

    /** @param models a key's model allowlist (slugs or ids), {@code null} for every model */
    record Query(String workspaceId, String userId, String modelId, String endUser, int limit, int offset,
                 java.util.Set<String> models) {
        Query(String workspaceId, String userId, String modelId, String endUser, int limit, int offset) {
            this(workspaceId, userId, modelId, endUser, limit, offset, null);
        }
    }

    void insert(Conversation c);

    Optional<Conversation> find(String workspaceId, String id);

    List<Conversation> list(Query q);

    long count(Query q);

    /** The last {@code limit} messages, oldest first. */
    List<ConversationMessage> lastMessages(String conversationId, int limit);

    List<ConversationMessage> messages(String conversationId);

    /**
     * Appends messages after the current last one and moves {@code updated_at}.
     *
     * @return {@code false} when the conversation no longer exists (deleted meanwhile); nothing is written
     */
    boolean append(String conversationId, List<ConversationMessage> messages, long now);

    boolean delete(String workspaceId, String id);

    /** Deletes the conversations of a model untouched since {@code before}; returns how many. */
    int deleteIdleSince(String modelId, long before);
}
