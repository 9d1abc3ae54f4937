package io.aimp.gateway.providers;

import java.util.List;

/**
 * The answer of a chat completion.
 *
 * @param text          the answer text; {@code ""} when the model only called tools
 * @param toolCalls     the calls the model asks for; empty when none
 * @param finishReason  normalised across providers: {@code stop}, {@code length}, {@code tool_calls},
 *                      {@code content_filter} or {@code other}
 * @param providerModel the model name the provider reported (may differ from the requested alias)
 */
public record ChatResult(String text, List<ToolCall> toolCalls, String finishReason, Usage usage, String providerModel) {

    public ChatResult {
        text = text == null ? "" : text;
        toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
    }
}
