package io.aimp.gateway.vectors;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.aimp.gateway.support.CheckedAgainstOpenApi;
import io.aimp.gateway.support.GatewayClient;
import io.aimp.gateway.support.GatewayHttpTest;
import io.aimp.gateway.support.TestSecrets;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * An embedding model routed to an OpenAI-compatible {@code /v1/embeddings} endpoint (a fake one that
 * embeds a text as its letter counts) uses the same modes as the local ones.
 */
@CheckedAgainstOpenApi
class ProviderEmbeddingHttpTest extends GatewayHttpTest {

    static final HttpServer FAKE = fakeEmbeddings();
    static final Path CATALOG = catalog();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("aimp.catalog-dir", CATALOG::toString);
        registry.add("aimp.providers.fake-embed.type", () -> "openai");
        registry.add("aimp.providers.fake-embed.base-url",
                () -> "http://127.0.0.1:" + FAKE.getAddress().getPort() + "/v1");
        registry.add("aimp.providers.fake-embed.api-key", () -> "sk-test-provider-key-000000000000");
    }

    @AfterAll
    static void stop() {
        FAKE.stop(0);
    }

    @Test
    void should_index_and_search_through_a_provider_route_and_record_its_embedder() {
        // given
        String scope = "letters";
        GatewayClient.Response indexed = owner.post("/api/runs", Map.of("model", "letters-embed", "mode", "index",
                "scope", scope, "params", Map.of(),
                "input", Map.of("texts", List.of("aaaa bbb", "zzzz yyy", "mmm nnn"), "ids", List.of("ab", "zy", "mn"))));
        assertThat(indexed.status()).as(indexed.describe()).isEqualTo(200);
        assertThat(indexed.json().path("provider").asString()).isEqualTo("fake-embed");
        assertThat(indexed.json().path("usage").path("units").asInt()).isEqualTo(3);
        assertThat(indexed.json().path("usage").path("input_tokens").asInt()).isEqualTo(6);

        // when
        GatewayClient.Response found = owner.post("/api/runs", Map.of("model", "letters-embed", "mode", "search",
                "scope", scope, "params", Map.of("top_k", 1), "input", Map.of("query", "yyy zzzz")));

        // then
        assertThat(found.status()).as(found.describe()).isEqualTo(200);
        JsonNode hit = found.json().path("output").path("results").get(0);
        assertThat(hit.path("id").asString()).isEqualTo("zy");
        assertThat(hit.path("score").asDouble()).isGreaterThan(0.999);
        String kbs = owner.get("/api/knowledge-bases").text();
        assertThat(kbs).contains("\"embedder\":\"fake-embed/letters-v1\"").contains("\"dimensions\":26");
    }

    private static HttpServer fakeEmbeddings() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
            server.createContext("/v1/embeddings", ex -> {
                try (ex) {
                    JsonNode req = GatewayClient.JSON.readTree(ex.getRequestBody().readAllBytes());
                    StringBuilder data = new StringBuilder();
                    int words = 0;
                    for (int i = 0; i < req.path("input").size(); i++) {
                        String text = req.path("input").get(i).asString().toLowerCase(Locale.ROOT);
                        words += text.split("\\s+").length;
                        int[] counts = new int[26];
                        text.chars().filter(c -> c >= 'a' && c <= 'z').forEach(c -> counts[c - 'a']++);
                        data.append(i == 0 ? "" : ",").append("{\"object\":\"embedding\",\"index\":").append(i)
                                .append(",\"embedding\":").append(java.util.Arrays.toString(counts)).append('}');
                    }
                    byte[] body = ("{\"object\":\"list\",\"model\":\"letters-v1\",\"data\":[" + data
                            + "],\"usage\":{\"prompt_tokens\":" + words + ",\"total_tokens\":" + words + "}}")
                            .getBytes(StandardCharsets.UTF_8);
                    ex.getResponseHeaders().add("Content-Type", "application/json");
                    ex.sendResponseHeaders(200, body.length);
                    ex.getResponseBody().write(body);
                }
            });
            server.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path catalog() {
        Path dir = TestSecrets.tempDir("aimp-vectors-catalog-");
        try {
            Files.writeString(dir.resolve("letters.yaml"), """
                    slug: letters-embed
                    kind: embedding
                    visibility: public
                    modes:
                      index:
                        vector: true
                        input:
                          type: object
                          required: [texts]
                          properties:
                            texts: {type: array, items: {type: string}}
                            ids: {type: array, items: {type: string}}
                      search:
                        vector: true
                        input: {type: object, required: [query], properties: {query: {type: string}}}
                        params: {type: object, properties: {top_k: {type: integer}}}
                    releases:
                      - version: 1.0.0
                        routes: [{provider: fake-embed, model: letters-v1, timeout_ms: 5000}]
                        pricing: {per_item: 0.001}
                    embedding: {collection: letters, dimensions: 26}
                    """);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }
}
