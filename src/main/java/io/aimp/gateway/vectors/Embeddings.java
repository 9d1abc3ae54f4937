package io.aimp.gateway.vectors;

import io.aimp.gateway.catalog.Release;
import io.aimp.gateway.common.ErrorCategory;
import io.aimp.gateway.common.GatewayException;
import io.aimp.gateway.providers.EmbeddingResult;
import io.aimp.gateway.providers.Routed;
import io.aimp.gateway.providers.Usage;
import io.aimp.gateway.runs.Execution;
import java.util.ArrayList;
import java.util.List;

/** Embedding through a release's routes, with the provider's answer checked and normalised. */
final class Embeddings {

    private Embeddings() {
    }

    /** Unit vectors in input order, what they cost and who computed them. */
    record Embedded(List<float[]> vectors, Usage usage, String provider, String model) {
        String embedder() {
            return provider + "/" + model;
        }
    }

    /** The run's own embedding release: a metered call of the run. */
    static Embedded inRun(Execution run, List<String> texts, List<byte[]> images) {
        return checked(run.embed(run.release(), texts, images), texts.size() + images.size());
    }

    /** Another model's embedding release (retrieval for a chat, assistant or workflow run), metered for {@code run}. */
    static Embedded forRun(Execution run, Release release, List<String> texts) {
        return checked(run.embed(release, texts, List.of()), texts.size());
    }

    private static Embedded checked(Routed<EmbeddingResult> routed, int expected) {
        EmbeddingResult result = routed.value();
        if (result.vectors().size() != expected) {
            throw invalid("the embedder returned " + result.vectors().size() + " vectors for " + expected + " items");
        }
        List<float[]> unit = new ArrayList<>(expected);
        int dimensions = result.vectors().getFirst().length;
        for (float[] v : result.vectors()) {
            if (v.length != dimensions || v.length == 0) {
                throw invalid("the embedder returned vectors of different sizes");
            }
            unit.add(normalised(v));
        }
        return new Embedded(unit, result.usage() == null ? Usage.NONE : result.usage(), routed.route().provider(),
                routed.route().model());
    }

    private static float[] normalised(float[] v) {
        double norm = 0;
        for (float x : v) {
            norm += (double) x * x;
        }
        if (!(norm > 0) || Double.isInfinite(norm)) {
            throw invalid("the embedder returned a zero or non-finite vector");
        }
        float scale = (float) (1 / Math.sqrt(norm));
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i] * scale;
        }
        return out;
    }

    private static GatewayException invalid(String detail) {
        return GatewayException.of(ErrorCategory.EXECUTION, "invalid_embedding", detail).status(502).build();
    }
}
