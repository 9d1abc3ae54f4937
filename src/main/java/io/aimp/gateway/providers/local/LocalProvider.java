package io.aimp.gateway.providers.local;

import io.aimp.gateway.providers.Capability;
import io.aimp.gateway.providers.ChatRequest;
import io.aimp.gateway.providers.ChatResult;
import io.aimp.gateway.providers.EmbeddingRequest;
import io.aimp.gateway.providers.EmbeddingResult;
import io.aimp.gateway.providers.Provider;
import io.aimp.gateway.providers.ProviderFailure;
import io.aimp.gateway.providers.ProviderFailure.FailureClass;
import io.aimp.gateway.providers.ProviderSettings;
import io.aimp.gateway.providers.Usage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeoutException;

/**
 * In-process models that ship with the gateway: no network, no key.
 * <ul>
 *   <li>{@value #EXTRACTIVE_SUMMARY} (chat) returns 1 to 3 sentences of the last user message, picked
 *       by word frequency; it generates nothing. Usage counts words, not tokens, and is exact:
 *       {@code inputTokens} = words of the summarised message, {@code outputTokens} = words of the
 *       summary, {@code units} = words read (the input), which is what the work scales with.</li>
 *   <li>{@value #MINILM} (text embeddings) is all-MiniLM-L6-v2 on ONNX Runtime, 384 dimensions,
 *       loaded on first use. Usage: {@code inputTokens} = {@code units} = the model's own tokens read.</li>
 *   <li>{@value #IMAGE_FEATURES} (image embeddings) is perceptual features, 224 dimensions: colour,
 *       edges and layout. It finds near-duplicates and look-alikes, not meaning (see {@link ImageFeatures}).
 *       Usage: {@code units} = images.</li>
 * </ul>
 */
public final class LocalProvider implements Provider {

    public static final String EXTRACTIVE_SUMMARY = "extractive-summary";
    public static final String MINILM = "all-minilm-l6-v2";
    public static final String IMAGE_FEATURES = "image-features-v1";

    private final String name;

    public LocalProvider(String name, ProviderSettings settings) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String type() {
        return ProviderSettings.LOCAL;
    }

    @Override
    public Set<Capability> capabilities() {
        return Set.of(Capability.CHAT, Capability.EMBEDDINGS);
    }

    @Override
    public ChatResult chat(ChatRequest request, Duration timeout) {
        if (!EXTRACTIVE_SUMMARY.equals(request.model())) {
            throw ProviderFailure.of(FailureClass.NOT_FOUND, "unknown local model");
        }
        String input = request.lastUserText();
        String summary = ExtractiveSummarizer.summarize(input);
        long in = ExtractiveSummarizer.words(input).size();
        long out = ExtractiveSummarizer.words(summary).size();
        return new ChatResult(summary, List.of(), "stop", new Usage(in, out, in, false), EXTRACTIVE_SUMMARY);
    }

    @Override
    public EmbeddingResult embed(EmbeddingRequest request, Duration timeout) {
        if (MINILM.equals(request.model())) {
            if (request.hasImages()) {
                throw ProviderFailure.of(FailureClass.UNSUPPORTED, MINILM + " embeds texts, not images");
            }
            try {
                MiniLmEmbedder.Embedded e = MiniLmEmbedder.embed(request.texts(), timeout);
                return new EmbeddingResult(e.vectors(), new Usage(e.tokens(), 0, e.tokens(), false));
            } catch (TimeoutException e) {
                throw ProviderFailure.of(FailureClass.TIMEOUT, MINILM + " did not finish within " + timeout.toMillis() + " ms");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw ProviderFailure.of(FailureClass.TIMEOUT, "interrupted while embedding");
            }
        }
        if (IMAGE_FEATURES.equals(request.model())) {
            if (!request.texts().isEmpty()) {
                throw ProviderFailure.of(FailureClass.UNSUPPORTED, IMAGE_FEATURES + " embeds images, not texts");
            }
            List<float[]> vectors = new ArrayList<>(request.images().size());
            for (byte[] image : request.images()) {
                try {
                    vectors.add(ImageFeatures.embed(image));
                } catch (IllegalArgumentException e) {
                    throw ProviderFailure.of(FailureClass.BAD_REQUEST, "image " + (vectors.size() + 1) + ": " + e.getMessage());
                }
            }
            return new EmbeddingResult(vectors, new Usage(0, 0, vectors.size(), false));
        }
        throw ProviderFailure.of(FailureClass.NOT_FOUND, "unknown local model");
    }
}
