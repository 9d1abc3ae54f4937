package io.aimp.gateway.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.aimp.gateway.support.CheckedAgainstOpenApi;
import io.aimp.gateway.support.GatewayClient;
import io.aimp.gateway.support.GatewayHttpTest;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The demo chatbot on a fresh gateway with no provider configured: the first start indexed passages of
 * the gateway's own documentation into its knowledge base (text-embed, scope demo-docs, in-process
 * MiniLM), so it answers with a citation without anyone indexing first, and that indexing is an ordinary
 * run of the owner, visible in the run list and priced like any other. The indexing runs after the gateway
 * is ready, on a thread of its own: each test first waits for that run to have committed.
 */
@TestPropertySource(properties = "aimp.demo.index-docs=true")
@CheckedAgainstOpenApi
class DemoChatOfflineTest extends GatewayHttpTest {

    /** The first start's index run, once it has ended (loading the model takes a while on a loaded machine). */
    private JsonNode indexRun;

    @BeforeEach
    void awaitTheFirstStartIndexing() {
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200)).until(() -> {
            GatewayClient.Response list = owner.get("/api/runs?model=text-embed&mode=index");
            assertThat(list.status()).as(list.describe()).isEqualTo(200);
            JsonNode first = list.json().path("data").path(0);
            if (first.isMissingNode() || Set.of("queued", "running").contains(first.path("status").asString())) {
                return false;
            }
            indexRun = first;
            return true;
        });
        assertThat(indexRun.path("status").asString()).as(indexRun.toString()).isEqualTo("succeeded");
    }

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
        assertThat(list.json().path("data")).as(list.describe()).hasSize(1);
        JsonNode first = list.json().path("data").get(0);
        assertThat(first.path("id").asString()).isEqualTo(indexRun.path("id").asString());
        assertThat(first.path("status").asString()).isEqualTo("succeeded");
        assertThat(first.path("scope").asString()).isEqualTo("demo-docs");
        // 12 passages at 0.0001 credits per item
        assertThat(first.path("cost").path("credits").asString()).as(list.describe()).isEqualTo("0.001200");
        assertThat(first.path("entry_point").asString()).isEqualTo("first-start");
    }
}
