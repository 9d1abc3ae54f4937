package io.aimp.gateway.providers;

import java.util.List;

public record EmbeddingRequest(String model, List<String> texts) {

    public EmbeddingRequest {
        texts = List.copyOf(texts);
    }
}
