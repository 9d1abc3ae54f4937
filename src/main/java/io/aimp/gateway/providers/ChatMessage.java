package io.aimp.gateway.providers;

import java.util.List;
import java.util.Set;

/**
 * One turn of a conversation.
 *
 * @param role       {@code system}, {@code user}, {@code assistant} or {@code tool}
 * @param content    the text; may be {@code null} on an assistant turn that only calls tools
 * @param toolCalls  calls the assistant made (assistant turns only); empty otherwise
 * @param toolCallId the call a {@code tool} turn answers
 */
public record ChatMessage(String role, String content, List<ToolCall> toolCalls, String toolCallId) {

    public static final String SYSTEM = "system";
    public static final String USER = "user";
    public static final String ASSISTANT = "assistant";
    public static final String TOOL = "tool";
    private static final Set<String> ROLES = Set.of(SYSTEM, USER, ASSISTANT, TOOL);

    public ChatMessage {
        if (!ROLES.contains(role)) {
            throw new IllegalArgumentException("role must be one of system, user, assistant, tool");
        }
        toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
        if (TOOL.equals(role) && toolCallId == null) {
            throw new IllegalArgumentException("a tool message needs the id of the call it answers");
        }
    }

    public static ChatMessage system(String content) {
        return new ChatMessage(SYSTEM, content, List.of(), null);
    }

    public static ChatMessage user(String content) {
        return new ChatMessage(USER, content, List.of(), null);
    }

    public static ChatMessage assistant(String content, List<ToolCall> toolCalls) {
        return new ChatMessage(ASSISTANT, content, toolCalls, null);
    }

    public static ChatMessage toolResult(String toolCallId, String content) {
        return new ChatMessage(TOOL, content, List.of(), toolCallId);
    }
}
