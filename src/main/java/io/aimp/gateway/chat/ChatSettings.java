package io.aimp.gateway.chat;

import tools.jackson.databind.JsonNode;

/**
 * The {@code chat:} block of a chatbot, checked by the catalog parser when the file loads.
 *
 * @param persona       Mustache template of the system prompt over {@code input}, {@code params}; may be {@code null}
 * @param memoryTurns   how many earlier turns (a user message and its reply) go back to the provider
 * @param memoryTokens  a cap on the estimated tokens of those turns (4 characters a token), or {@code null}
 * @param retrieval     the knowledge base to search on every turn, or {@code null}
 * @param answer        {@code generate} (the provider answers) or {@code passages} (the reply is the best passages, no provider)
 * @param retentionDays conversations untouched for longer are deleted, or {@code null} to keep them
 */
record ChatSettings(String persona, int memoryTurns, Integer memoryTokens, RetrievalSettings retrieval, String answer,
                    Integer retentionDays) {

    static final int DEFAULT_TURNS = 10;
    static final String GENERATE = "generate";
    static final String PASSAGES = "passages";

    record RetrievalSettings(String model, String collection, String scope, int topK, double minScore) {
    }

    static ChatSettings of(JsonNode block) {
        if (block == null || !block.isObject()) {
            return new ChatSettings(null, DEFAULT_TURNS, null, null, GENERATE, null);
        }
        JsonNode memory = block.path("memory");
        JsonNode r = block.get("retrieval");
        RetrievalSettings retrieval = r == null || !r.isObject() ? null : new RetrievalSettings(
                r.path("model").asString(), r.path("collection").asString(null), r.path("scope").asString(), r.path("top_k").asInt(4),
                r.path("min_score").asDouble(0.0));
        JsonNode retention = block.path("retention").path("days");
        return new ChatSettings(block.path("persona").asString(null), memory.path("turns").asInt(DEFAULT_TURNS),
                memory.has("max_tokens") ? memory.get("max_tokens").asInt() : null, retrieval,
                block.path("answer").asString(GENERATE), retention.isIntegralNumber() ? retention.asInt() : null);
    }
}
