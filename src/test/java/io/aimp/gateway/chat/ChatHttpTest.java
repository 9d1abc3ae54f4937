package io.aimp.gateway.chat;

import static io.aimp.gateway.support.ProblemAssert.assertProblem;
import static io.aimp.gateway.support.ScriptedOpenAi.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.aimp.gateway.support.AgentsHttpTest;
import io.aimp.gateway.support.CheckedAgainstOpenApi;
import io.aimp.gateway.support.GatewayClient;
import io.aimp.gateway.support.GatewayClient.Response;
import io.aimp.gateway.support.KnowledgeBases;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Chatbot turns through the run pipeline: memory, retrieval, stored messages and the conversations API. */
@CheckedAgainstOpenApi
class ChatHttpTest extends AgentsHttpTest {

    private Response turn(GatewayClient client, String model, String message, String conversationId) {
        Map<String, Object> input = new LinkedHashMap<>();
        input.put("message", message);
        input.put("user", "ada");
        if (conversationId != null) {
            input.put("conversation_id", conversationId);
        }
        return client.post("/api/runs", Map.of("model", model, "mode", "chat", "input", input));
    }

    private static List<String> sent(JsonNode request) {
        List<String> out = new ArrayList<>();
        request.path("messages").forEach(m -> out.add(m.path("role").asString() + ": " + m.path("content").asString()));
        return out;
    }

    @Test
    void should_keep_memory_within_the_policy_cite_the_right_scope_and_store_the_messages() {
        // given: the docs scope answers about refunds; another scope holds a decoy with the same words (indexed
        // with the in-process embedding model, searched by the chatbot through the vector index)
        KnowledgeBases.index(owner, "docs", "p-refund", "refunds.md", "Refunds are paid within five days.");
        KnowledgeBases.index(owner, "other", "p-decoy", "decoy.md", "Refunds decoy from another scope.");
        PROVIDER.script("chat", text("Within five days [1].", 50, 6), text("Yes, by card.", 60, 4), text("Goodbye!", 40, 2));

        // when: three turns
        Response r1 = turn(owner, "support-bot", "How fast are refunds paid?", null);
        assertThat(r1.status()).as(r1.describe()).isEqualTo(200);
        String conv = r1.json().path("output").path("conversation_id").asString();
        Response r2 = turn(owner, "support-bot", "Are refunds paid by card?", conv);
        Response r3 = turn(owner, "support-bot", "Thanks, bye", conv);

        // then: replies, citations from the docs scope only
        assertThat(r2.status()).as(r2.describe()).isEqualTo(200);
        assertThat(r3.status()).as(r3.describe()).isEqualTo(200);
        JsonNode out1 = r1.json().path("output");
        assertThat(out1.path("reply").asString()).isEqualTo("Within five days [1].");
        assertThat(out1.path("citations").findValuesAsString("id")).containsExactly("p-refund");
        assertThat(out1.path("citations").get(0).path("source").asString()).isEqualTo("refunds.md");
        // the passage's text, not the stored JSON it is kept in
        assertThat(out1.path("citations").get(0).path("text").asString()).isEqualTo("Refunds are paid within five days.");
        assertThat(r2.json().path("output").path("conversation_id").asString()).isEqualTo(conv);
        // usage is the provider's 50 input tokens and the 9 tokens of the question's embedding (a metered call of the turn)
        assertThat(r1.json().path("usage").path("input_tokens").asLong()).isEqualTo(50 + 9);

        // then: the provider saw one earlier turn at most (memory turns: 1), persona and passages in the system message
        List<JsonNode> requests = PROVIDER.requests("chat");
        assertThat(requests).hasSize(3);
        assertThat(sent(requests.get(0))).hasSize(2);
        assertThat(sent(requests.get(0)).get(0)).startsWith("system: You are the support assistant of ada's shop.")
                .endsWith("\n[1] (refunds.md) Refunds are paid within five days.").doesNotContain("decoy")
                .doesNotContain("{\"text\"");
        assertThat(sent(requests.get(1)).subList(1, 4)).containsExactly("user: How fast are refunds paid?",
                "assistant: Within five days [1].", "user: Are refunds paid by card?");
        assertThat(sent(requests.get(2)).subList(1, 4)).containsExactly("user: Are refunds paid by card?",
                "assistant: Yes, by card.", "user: Thanks, bye");
        assertThat(sent(requests.get(2)).get(0)).doesNotContain("five days [1]");

        // then: the stored conversation holds every message in order
        JsonNode stored = owner.get("/api/conversations/" + conv).json();
        assertThat(stored.path("chatbot").asString()).isEqualTo("support-bot");
        assertThat(stored.path("user").asString()).isEqualTo("ada");
        List<String> messages = new ArrayList<>();
        stored.path("messages").forEach(m -> messages.add(m.path("role").asString() + ": " + m.path("content").asString()));
        assertThat(messages).containsExactly("user: How fast are refunds paid?", "assistant: Within five days [1].",
                "user: Are refunds paid by card?", "assistant: Yes, by card.", "user: Thanks, bye", "assistant: Goodbye!");
        assertThat(stored.path("messages").get(1).path("citations").findValuesAsString("id")).containsExactly("p-refund");
        assertThat(stored.path("messages").get(1).path("run_id").asString())
                .isEqualTo(r1.json().path("id").asString());
        JsonNode list = owner.get("/api/conversations?chatbot=support-bot&user=ada").json();
        assertThat(list.path("data").findValuesAsString("id")).contains(conv);
        assertThat(owner.get("/api/conversations?user=nobody").json().path("data").findValuesAsString("id"))
                .doesNotContain(conv);

        // a failed turn stores nothing but the failure
        PROVIDER.script("chat", "this is not JSON");
        Response failed = turn(owner, "support-bot", "Still there?", conv);
        assertThat(failed.status()).as(failed.describe()).isGreaterThanOrEqualTo(500);
        assertThat(owner.get("/api/conversations/" + conv).json().path("messages")).hasSize(6);

        // deleting it removes it
        assertThat(owner.delete("/api/conversations/" + conv).status()).isEqualTo(204);
        assertProblem(owner.get("/api/conversations/" + conv), 404, "not_found", "invalid_request");
    }

    @Test
    void should_answer_404_for_an_unknown_or_foreign_conversation() {
        PROVIDER.script("chat", text("Hello.", 5, 1));
        Response mine = turn(owner, "support-bot", "Hello there", null);
        assertThat(mine.status()).as(mine.describe()).isEqualTo(200);
        String conv = mine.json().path("output").path("conversation_id").asString();

        JsonNode unknown = assertProblem(turn(owner, "support-bot", "Hi", "conv_unknown"), 404, "not_found", "invalid_request");
        assertThat(unknown.path("run_id").asString()).startsWith("run_");
        GatewayClient other = otherWorkspace();
        assertProblem(turn(other, "support-bot", "Hi", conv), 404, "not_found", "invalid_request");
        assertProblem(other.get("/api/conversations/" + conv), 404, "not_found", "invalid_request");
        assertProblem(other.delete("/api/conversations/" + conv), 404, "not_found", "invalid_request");
        assertThat(other.get("/api/conversations").json().path("data").findValuesAsString("id")).doesNotContain(conv);
        assertThat(owner.get("/api/conversations/" + conv).json().path("messages")).hasSize(2);
    }

    @Test
    void should_answer_from_the_demo_knowledge_base_with_a_citation_and_no_provider() {
        // the demo knowledge base, indexed as docs/getting-started.md shows
        KnowledgeBases.index(owner, "demo-docs", "demo-1", "getting-started.md",
                "Create an API key with POST /api/keys and send it as the X-API-Key header.");
        KnowledgeBases.index(owner, "demo-docs", "demo-2", "billing.md",
                "Every workspace has a prepaid wallet of credits.");

        Response r = turn(owner, "demo-chat", "How do I send my API key?", null);

        assertThat(r.status()).as(r.describe()).isEqualTo(200);
        JsonNode out = r.json().path("output");
        assertThat(out.path("reply").asString()).startsWith("From the knowledge base:\n[1] (getting-started.md) "
                + "Create an API key with POST /api/keys and send it as the X-API-Key header.");
        assertThat(out.path("citations").get(0).path("id").asString()).isEqualTo("demo-1");
        assertThat(out.path("citations").get(0).path("text").asString())
                .isEqualTo("Create an API key with POST /api/keys and send it as the X-API-Key header.");
        assertThat(r.json().path("provider").asString()).isEqualTo("local");
        // per run 0.001, and the question's embedding: one item of text-embed at 0.0001
        assertThat(r.json().path("cost").path("credits").asString()).isEqualTo("0.001100");
    }
}
