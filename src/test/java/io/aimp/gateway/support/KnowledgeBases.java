package io.aimp.gateway.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

/** Indexes passages with the demo catalog's {@code text-embed} model (MiniLM, in process) through {@code POST /api/runs}. */
public final class KnowledgeBases {

    /** The embedding model the test catalogs search. */
    public static final String MODEL = "text-embed";

    private KnowledgeBases() {
    }

    /** Indexes {@code text} under {@code id} in {@code scope} of the client's workspace, with metadata {@code source}. */
    public static void index(GatewayClient client, String scope, String id, String source, String text) {
        GatewayClient.Response r = client.post("/api/runs", Map.of("model", MODEL, "mode", "index", "scope", scope,
                "input", Map.of("texts", List.of(text), "ids", List.of(id), "metadata", List.of(Map.of("source", source)))));
        assertThat(r.status()).as(r.describe()).isEqualTo(200);
    }
}
