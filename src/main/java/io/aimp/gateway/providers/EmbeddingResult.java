package io.aimp.gateway.providers;

import java.util.List;

/** One vector per input text, in input order. */
public record EmbeddingResult(List<float[]> vectors, Usage usage) {

    public EmbeddingResult {
        vectors = List.copyOf(vectors);
    }
}
