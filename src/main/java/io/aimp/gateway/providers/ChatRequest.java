package io.aimp.gateway.providers;

import java.util.List;
import java.util.Objects;
import tools.jackson.databind.JsonNode;

/**
 * One chat completion.
 *
 * @param temperature        {@code null} leaves the provider's default
 * @param maxTokens          {@code null} leaves the provider's default (Anthropic requires one: 1024 is sent)
 * @param responseJsonSchema when set, the answer text must be JSON valid against this schema
 * @param tools              functions the model may call; empty when none
 */
public record ChatRequest(String model, List<ChatMessage> messages, Double temperature, Integer maxTokens,
                          JsonNode responseJsonSchema, List<ToolSpec> tools) {

    public ChatRequest {
        Objects.requireNonNull(model, "model");
        messages = List.copyOf(messages);
        tools = tools == null ? List.of() : List.copyOf(tools);
    }

    public static ChatRequest of(String model, List<ChatMessage> messages) {
        return new ChatRequest(model, messages, null, null, null, List.of());
    }

    /** The content of the last {@code user} message, or {@code ""} when there is none. */
    public String lastUserText() {
        for (int i = messages.size() - 1; i >= 0; i--) {
            ChatMessage m = messages.get(i);
            if (ChatMessage.USER.equals(m.role())) {
                return m.content() == null ? "" : m.content();
            }
        }
        return "";
    }

    /** Characters of all message contents and tool-call arguments: the base of a usage estimate. */
    public long inputChars() {
        long n = 0;
        for (ChatMessage m : messages) {
            n += m.content() == null ? 0 : m.content().length();
            for (ToolCall c : m.toolCalls()) {
                n += c.arguments() == null ? 0 : c.arguments().toString().length();
            }
        }
        return n;
    }
}
