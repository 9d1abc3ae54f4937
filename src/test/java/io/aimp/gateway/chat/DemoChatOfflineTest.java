package io.aimp.gateway.chat;

import io.aimp.gateway.support.CheckedAgainstOpenApi;
import static org.assertj.core.api.Assertions.assertThat;

import io.aimp.gateway.support.GatewayClient;
import io.aimp.gateway.support.GatewayHttpTest;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The demo chatbot on a fresh gateway with no provider configured: the first start indexed passages of
 * the gateway's own documentation into its knowledge base (text-embed, scope demo-docs, in-process
 * MiniLM), so it answers with a citation without anyone indexing first, and that indexing is an ordinary
 * run of the owner, visible in the run list and priced like any other.
 */
@TestPropertySource(properties = "aimp.demo.index-docs=true")
@CheckedAgainstOpenApi
class DemoChatOfflineTest extends GatewayHttpTest {

    @Test
    void should_answer_from_its_first_start_knowledge_base_with_a_citation_offline() {
        GatewayClient.Response r = owner.post("/api/runs", Map.of("model", "demo-chat", "mode", "chat",
                "input", Map.of("message", "Which header carries my API key?")));

        assertThat(r.status()).as(r.describe()).isEqualTo(200);
        JsonNode out = r.json().path("output");
        assertThat(out.path("reply").asString()).contains("X-API-Key");
        assertThat(out.path("citations").findValuesAsString("id")).first().isEqualTo("api-keys");
        assertThat(out.path("conversation_id").asString()).isNotBlank();
    }

    @Test
    void the_first_start_indexing_is_a_visible_priced_run_of_the_owner() {
        GatewayClient.Response list = owner.get("/api/runs?model=text-embed&mode=index");
        assertThat(list.status()).as(list.describe()).isEqualTo(200);
        JsonNode first = list.json().path("data").get(0);
        assertThat(first).as(list.describe()).isNotNull();
        assertThat(first.path("status").asString()).isEqualTo("succeeded");
        assertThat(first.path("scope").asString()).isEqualTo("demo-docs");
        // 12 passages at 0.0001 credits per item
        assertThat(first.path("cost").path("credits").asString()).as(list.describe()).isEqualTo("0.001200");
        assertThat(first.path("entry_point").asString()).isEqualTo("first-start");
    }
}
