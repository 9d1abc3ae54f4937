package io.aimp.gateway.providers;

import java.time.Duration;
import java.util.Set;

/**
 * A backend that really computes. Implementations are thread-safe and hold their credentials;
 * callers never see them.
 *
 * <p>Failure contract of every operation: it returns a result or throws {@link ProviderFailure}
 * whose class says whether a retry or a fallback may help. It never throws with a provider
 * response body, a credential or request content in the message. {@code timeout} bounds the
 * whole call. An operation outside {@link #capabilities()} refuses with
 * {@link ProviderFailure.FailureClass#UNSUPPORTED}.
 */
public interface Provider {

    /** The configured name, e.g. {@code openai} or {@code local-vllm}: the key under {@code aimp.providers}. */
    String name();

    /** The adapter type: {@code openai}, {@code anthropic} or {@code local}. */
    String type();

    Set<Capability> capabilities();

    default ChatResult chat(ChatRequest request, Duration timeout) {
        throw refuse(Capability.CHAT);
    }

    default EmbeddingResult embed(EmbeddingRequest request, Duration timeout) {
        throw refuse(Capability.EMBEDDINGS);
    }

    default ImageResult generateImages(ImageRequest request, Duration timeout) {
        throw refuse(Capability.IMAGES);
    }

    /** Edits an image; adapters whose API has no image edits refuse with {@code unsupported} (the router falls back). */
    default ImageResult editImages(ImageEditRequest request, Duration timeout) {
        throw ProviderFailure.of(ProviderFailure.FailureClass.UNSUPPORTED, "provider " + name() + " does not edit images");
    }

    default ModerationResult moderate(ModerationRequest request, Duration timeout) {
        throw refuse(Capability.MODERATION);
    }

    /** The one refusal every unsupported operation falls through to. */
    private ProviderFailure refuse(Capability capability) {
        return ProviderFailure.of(ProviderFailure.FailureClass.UNSUPPORTED,
                "provider " + name() + " does not support " + capability.name().toLowerCase(java.util.Locale.ROOT));
    }
}
