package io.aimp.gateway.providers;

import java.util.List;

/**
 * Texts or images to embed with one model; exactly one of the two lists is non-empty. Image items
 * are encoded bytes (PNG, JPEG ...); only providers that embed images accept them, the others
 * refuse with {@link ProviderFailure.FailureClass#UNSUPPORTED}.
 */
public record EmbeddingRequest(String model, List<String> texts, List<byte[]> images) {

    public EmbeddingRequest {
        texts = List.copyOf(texts);
        images = List.copyOf(images);
    }

    public EmbeddingRequest(String model, List<String> texts) {
        this(model, texts, List.of());
    }

    public static EmbeddingRequest ofImages(String model, List<byte[]> images) {
        return new EmbeddingRequest(model, List.of(), images);
    }

    public boolean hasImages() {
        return !images.isEmpty();
    }

    /** How many items are embedded. */
    public int size() {
        return texts.size() + images.size();
    }
}
