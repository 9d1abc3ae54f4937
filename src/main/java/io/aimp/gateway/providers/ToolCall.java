package io.aimp.gateway.providers;

import tools.jackson.databind.JsonNode;

/** A call the model asked for; {@code id} is the provider's and must be echoed in the tool result. */
public record ToolCall(String id, String name, JsonNode arguments) {
}
