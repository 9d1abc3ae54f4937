package io.aimp.gateway.chat;

import tools.jackson.databind.JsonNode;

/**
 * One stored message: {@code user} or {@code assistant}.
 *
 * @param citations the passages an assistant reply was given (a JSON array), or {@code null}
 * @param runId     the run of the turn that wrote it
 */
public record ConversationMessage(String id, String conversationId, int seq, String role, String content,
                                  JsonNode citations, String runId, long createdAt) {
}
