package io.aimp.gateway.runs;

import io.aimp.gateway.providers.Usage;
import tools.jackson.databind.JsonNode;

/** What an executor produced: the output document, what it consumed and who computed it. */
public record ExecutionResult(JsonNode output, Usage usage, String provider, String providerModel) {
}
