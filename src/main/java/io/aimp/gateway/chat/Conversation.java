package io.aimp.gateway.chat;

/**
 * A chatbot conversation of one workspace.
 *
 * @param endUser the {@code user} the calling application named (its own end user), or {@code null}
 * @param userId  the member whose key or session started it
 */
public record Conversation(String id, String workspaceId, String modelId, String modelSlug, String endUser,
                           String userId, String keyId, int messageCount, long createdAt, long updatedAt) {
}
