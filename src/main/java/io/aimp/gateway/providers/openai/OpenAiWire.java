package io.aimp.gateway.providers.openai;

import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** The OpenAI wire format (snake_case through the client's mapper). Never leaves this package. */
final class OpenAiWire {

    private OpenAiWire() {
    }

    record ChatCompletionRequest(String model, List<Message> messages, Double temperature, Integer maxTokens,
                                 List<Tool> tools, ResponseFormat responseFormat) {
    }

    record Message(String role, String content, List<WireToolCall> toolCalls, String toolCallId) {
    }

    record WireToolCall(String id, String type, FunctionCall function) {
    }

    /** {@code arguments} is a JSON document encoded as a string, as OpenAI sends it. */
    record FunctionCall(String name, String arguments) {
    }

    record Tool(String type, FunctionDef function) {
    }

    record FunctionDef(String name, String description, JsonNode parameters) {
    }

    record ResponseFormat(String type, JsonSchema jsonSchema) {
    }

    record JsonSchema(String name, JsonNode schema) {
    }

    record ChatCompletionResponse(String model, List<Choice> choices, WireUsage usage) {
    }

    record Choice(Integer index, Message message, String finishReason) {
    }

    record WireUsage(Long promptTokens, Long completionTokens, Long totalTokens) {
    }

    record EmbeddingsRequest(String model, List<String> input) {
    }

    record EmbeddingsResponse(List<EmbeddingData> data, WireUsage usage) {
    }

    record EmbeddingData(Integer index, float[] embedding) {
    }

    record ImagesRequest(String model, String prompt, Integer n, String size, String quality, String style,
                         String responseFormat) {
    }

    record ImagesResponse(List<ImageData> data) {
    }

    record ImageData(String url, String b64Json) {
    }

    record ModerationsRequest(String model, List<String> input) {
    }

    record ModerationsResponse(List<ModerationData> results) {
    }

    record ModerationData(Boolean flagged, Map<String, Boolean> categories, Map<String, Double> categoryScores) {
    }
}
