package io.aimp.gateway.vectors;

import io.aimp.gateway.catalog.PublishedModel;
import tools.jackson.databind.JsonNode;

/**
 * The {@code embedding:} block of a model (validated when the catalog loads).
 *
 * @param collection the collection every index and search of the model uses; never chosen by clients
 * @param images     whether items are images ({@code input: image}) rather than texts
 * @param dimensions the vector size the embedder must produce, or {@code null} to accept what it gives
 */
record EmbeddingSettings(String collection, boolean images, Integer dimensions) {

    static EmbeddingSettings of(PublishedModel model) {
        JsonNode block = model.kindConfig();
        if (block == null) {
            return new EmbeddingSettings("default", false, null);
        }
        JsonNode d = block.get("dimensions");
        return new EmbeddingSettings(block.path("collection").asString("default"),
                "image".equals(block.path("input").asString("text")),
                d != null && d.isIntegralNumber() ? d.intValue() : null);
    }
}
