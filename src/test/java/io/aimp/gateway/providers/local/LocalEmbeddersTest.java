package io.aimp.gateway.providers.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.aimp.gateway.providers.EmbeddingRequest;
import io.aimp.gateway.providers.EmbeddingResult;
import io.aimp.gateway.providers.ProviderFailure;
import io.aimp.gateway.providers.ProviderFailure.FailureClass;
import io.aimp.gateway.providers.ProviderSettings;
import io.aimp.gateway.support.TestImages;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The local embedders really compute: MiniLM on ONNX Runtime, perceptual image features. */
class LocalEmbeddersTest {

    static final Duration TIMEOUT = Duration.ofSeconds(60);
    final LocalProvider provider = new LocalProvider("local", ProviderSettings.local());

    static double cosine(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    @Test
    void should_embed_texts_as_unit_vectors_where_paraphrases_are_closer_than_other_topics() {
        // given: more texts than one batch, so batching and order are exercised
        List<String> texts = new ArrayList<>(List.of("A cat is sleeping on the sofa.", "The kitten naps on the couch.",
                "Interest rates rose again at the central bank."));
        for (int i = 0; i < MiniLmEmbedder.BATCH + 3; i++) {
            texts.add("filler sentence number " + i);
        }

        // when
        EmbeddingResult result = provider.embed(new EmbeddingRequest(LocalProvider.MINILM, texts), TIMEOUT);

        // then
        assertThat(result.vectors()).hasSize(texts.size()).allSatisfy(v -> {
            assertThat(v).hasSize(384);
            assertThat(cosine(v, v)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));
        });
        List<float[]> v = result.vectors();
        assertThat(cosine(v.get(0), v.get(1))).isGreaterThan(cosine(v.get(0), v.get(2)) + 0.3);
        assertThat(result.usage().inputTokens()).isGreaterThan(texts.size());
        // the same text alone gives the same vector as inside a padded batch
        float[] alone = provider.embed(new EmbeddingRequest(LocalProvider.MINILM, List.of(texts.get(1))), TIMEOUT).vectors().getFirst();
        assertThat(cosine(alone, v.get(1))).isGreaterThan(0.9999);
    }

    @Test
    void should_find_a_recompressed_copy_closer_than_a_different_image() {
        // given
        byte[] original = TestImages.gradient(320, 240);
        byte[] copy = TestImages.recompressed(original, 200, 150);
        byte[] other = TestImages.shapes(320, 240);

        // when
        List<float[]> v = provider.embed(EmbeddingRequest.ofImages(LocalProvider.IMAGE_FEATURES, List.of(original, copy, other)),
                TIMEOUT).vectors();

        // then
        assertThat(v.getFirst()).hasSize(ImageFeatures.DIMENSIONS);
        assertThat(cosine(v.get(0), v.get(1))).isGreaterThan(0.95);
        assertThat(cosine(v.get(0), v.get(1))).isGreaterThan(cosine(v.get(0), v.get(2)) + 0.2);
    }

    @Test
    void should_refuse_bytes_that_are_not_an_image_as_a_bad_request() {
        ProviderFailure failure = catchThrowableOfType(ProviderFailure.class, () -> provider.embed(
                EmbeddingRequest.ofImages(LocalProvider.IMAGE_FEATURES, List.of("not an image".getBytes())), TIMEOUT));

        assertThat(failure.failureClass()).isEqualTo(FailureClass.BAD_REQUEST);
        assertThat(failure.fallbackAllowed()).isFalse();
    }
}
