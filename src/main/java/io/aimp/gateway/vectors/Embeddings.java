package io.aimp.gateway.vectors;

import io.aimp.gateway.catalog.Release;
import io.aimp.gateway.catalog.RouteSpec;
import io.aimp.gateway.common.ErrorCategory;
import io.aimp.gateway.common.GatewayException;
import io.aimp.gateway.providers.EmbeddingRequest;
import io.aimp.gateway.providers.EmbeddingResult;
import io.aimp.gateway.providers.Provider;
import io.aimp.gateway.providers.Route;
import io.aimp.gateway.providers.Routed;
import io.aimp.gateway.providers.Router;
import io.aimp.gateway.providers.Usage;
import io.aimp.gateway.runs.Execution;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

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

    /** Inside a run: every attempt lands in the run's execution log. */
    static Embedded inRun(Execution run, List<String> texts, List<byte[]> images) {
        Routed<EmbeddingResult> routed = run.route(call(texts, images));
        return checked(routed, texts.size() + images.size());
    }

    /** Outside a run (retrieval for another feature's run). */
    static Embedded viaRouter(Router router, Release release, List<String> texts) {
        List<Route> routes = new ArrayList<>();
        for (RouteSpec r : release.routes()) {
            routes.add(new Route(r.provider(), r.model(), r.timeout() == null ? RouteSpec.DEFAULT_TIMEOUT : r.timeout()));
        }
        return checked(router.execute(routes, call(texts, List.of())), texts.size());
    }

    private static BiFunction<Provider, Route, EmbeddingResult> call(List<String> texts, List<byte[]> images) {
        return (provider, route) -> provider.embed(new EmbeddingRequest(route.model(), texts, images), route.timeout());
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
