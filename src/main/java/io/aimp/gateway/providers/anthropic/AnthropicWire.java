package io.aimp.gateway.providers.anthropic;

import java.util.List;
import tools.jackson.databind.JsonNode;

/** The Anthropic Messages wire format (snake_case through the client's mapper). Never leaves this package. */
final class AnthropicWire {

    private AnthropicWire() {
    }

    record MessagesRequest(String model, Integer maxTokens, String system, List<Message> messages, Double temperature,
                           List<Tool> tools, ToolChoice toolChoice) {
    }

    record Message(String role, List<Block> content) {
    }

    /**
     * One content block; which fields are set depends on {@code type}: {@code text} (text),
     * {@code tool_use} (id, name, input), {@code tool_result} (tool_use_id, content).
     */
    record Block(String type, String text, String id, String name, JsonNode input, String toolUseId, String content) {

        static Block text(String text) {
            return new Block("text", text, null, null, null, null, null);
        }

        static Block toolUse(String id, String name, JsonNode input) {
            return new Block("tool_use", null, id, name, input, null, null);
        }

        static Block toolResult(String toolUseId, String content) {
            return new Block("tool_result", null, null, null, null, toolUseId, content);
        }
    }

    record Tool(String name, String description, JsonNode inputSchema) {
    }

    record ToolChoice(String type, String name) {
    }

    record MessagesResponse(String model, List<Block> content, String stopReason, WireUsage usage) {
    }

    record WireUsage(Long inputTokens, Long outputTokens) {
    }
}
