package io.aimp.gateway.chat;

import io.aimp.gateway.support.CheckedAgainstOpenApi;
import static org.assertj.core.api.Assertions.assertThat;

import io.aimp.gateway.support.GatewayClient;
import io.aimp.gateway.support.GatewayHttpTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The demo chatbot with no provider configured: its knowledge base is indexed with the in-process
 * MiniLM model (text-embed, scope demo-docs), and it answers from it with a citation.
 */
@CheckedAgainstOpenApi
class DemoChatOfflineTest extends GatewayHttpTest {

    @Test
    void should_answer_from_its_knowledge_base_with_a_citation_offline() {
        GatewayClient.Response indexed = owner.post("/api/runs", Map.of("model", "text-embed", "mode", "index",
                "scope", "demo-docs", "input", Map.of(
                        "texts", List.of("API keys are sent in the X-API-Key header; bearer tokens are for signed-in browsers.",
                                "The wallet reserves a run's maximum cost before it runs and charges the actual cost after.",
                                "Knowledge bases are listed by model, collection and scope."),
                        "ids", List.of("keys", "wallet", "kb"))));
        assertThat(indexed.status()).as(indexed.describe()).isEqualTo(200);

        GatewayClient.Response r = owner.post("/api/runs", Map.of("model", "demo-chat", "mode", "chat",
                "input", Map.of("message", "Which header carries my API key?")));

        assertThat(r.status()).as(r.describe()).isEqualTo(200);
        JsonNode out = r.json().path("output");
        assertThat(out.path("reply").asString()).contains("X-API-Key");
        assertThat(out.path("citations").findValuesAsString("id")).first().isEqualTo("keys");
        assertThat(out.path("conversation_id").asString()).isNotBlank();
    }
}
