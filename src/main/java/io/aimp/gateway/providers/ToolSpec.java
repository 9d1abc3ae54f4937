package io.aimp.gateway.providers;

import tools.jackson.databind.JsonNode;

/** A function the model may call; {@code parametersSchema} is a JSON Schema object. */
public record ToolSpec(String name, String description, JsonNode parametersSchema) {
}
