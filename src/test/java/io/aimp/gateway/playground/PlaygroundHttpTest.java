package io.aimp.gateway.playground;

import static io.aimp.gateway.playground.PlaygroundCatalog.PROVIDER;
import static io.aimp.gateway.support.ProblemAssert.assertProblem;
import static io.aimp.gateway.support.ScriptedOpenAi.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.aimp.gateway.support.CheckedAgainstOpenApi;
import io.aimp.gateway.support.GatewayClient;
import io.aimp.gateway.support.GatewayClient.Response;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** POST /api/playground/compare: targets side by side over the run pipeline, charged, limited and side-effect free. */
@CheckedAgainstOpenApi
class PlaygroundHttpTest extends PlaygroundHttpBase {

    private static Map<String, Object> target(String model, Object... more) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("model", model);
        for (int i = 0; i < more.length; i += 2) {
            t.put((String) more[i], more[i + 1]);
        }
        return t;
    }

    private static Map<String, Object> compare(Map<String, ?> input, List<?> targets) {
        return Map.of("input", input, "targets", targets);
    }

    private static List<String> sent(JsonNode request) {
        List<String> out = new ArrayList<>();
        request.path("messages").forEach(m -> out.add(m.path("role").asString() + ": " + m.path("content").asString()));
        return out;
    }

    @Test
    void should_compare_three_targets_side_by_side_with_a_prompt_override_and_a_failing_target() {
        // given: alpha answers the same to both of its targets, beta with its own usage, the third target's provider is broken
        PROVIDER.script("pg-a", text("Short summary.", 20, 10));
        PROVIDER.script("pg-b", text("Beta says hi.", 30, 50));
        PROVIDER.script("pg-c", "this is not JSON");
        GatewayClient developer = anonymous.withKey(accounts.key("developer").secret());

        // when
        Response r = developer.post("/api/playground/compare", compare(Map.of("text", "The bakery opens at six."), List.of(
                target("pg-alpha"),
                target("pg-beta", "params", Map.of("max_tokens", 64)),
                target("pg-alpha", "overrides", Map.of("prompt", "Translate: {{input.text}}", "system", "Be formal.")),
                target("pg-broken"))));

        // then: every target's answer, usage, cost, provider and route, in request order
        assertThat(r.status()).as(r.describe()).isEqualTo(200);
        JsonNode results = r.json().path("results");
        assertThat(results).hasSize(4);
        JsonNode alpha = results.get(0);
        assertThat(alpha.path("status").asString()).isEqualTo("succeeded");
        assertThat(alpha.path("output").path("text").asString()).isEqualTo("Short summary.");
        assertThat(alpha.path("usage").path("input_tokens").asLong()).isEqualTo(20);
        assertThat(alpha.path("usage").path("output_tokens").asLong()).isEqualTo(10);
        assertThat(alpha.path("cost").path("credits").asString()).isEqualTo("0.040000");
        assertThat(alpha.path("provider").asString()).isEqualTo("pg-a");
        assertThat(alpha.path("route").asString()).isNotBlank();
        assertThat(alpha.path("latency_ms").isIntegralNumber()).isTrue();
        JsonNode beta = results.get(1);
        assertThat(beta.path("output").path("text").asString()).isEqualTo("Beta says hi.");
        assertThat(beta.path("cost").path("credits").asString()).isEqualTo("0.130000");
        assertThat(PROVIDER.requests("pg-b").getFirst().path("max_tokens").asInt()).as("the target's params").isEqualTo(64);
        assertThat(beta.path("provider").asString()).isEqualTo("pg-b");
        assertThat(results.get(2).path("status").asString()).isEqualTo("succeeded");
        assertThat(results.get(2).path("overridden").asBoolean()).isTrue();
        // the failing target is reported next to the others, with its problem and its run
        JsonNode broken = results.get(3);
        assertThat(broken.path("status").asString()).isEqualTo("failed");
        assertThat(broken.path("output").isNull()).isTrue();
        assertThat(broken.path("problem").path("status").asInt()).isGreaterThanOrEqualTo(500);
        assertThat(broken.path("problem").path("category").asString()).isIn("provider", "execution");
        assertThat(broken.path("run_id").asString()).startsWith("run_");
        assertThat(r.json().path("succeeded").asInt()).isEqualTo(3);
        assertThat(r.json().path("failed").asInt()).isEqualTo(1);
        assertThat(r.json().path("total_cost").path("credits").asString()).isEqualTo("0.210000");

        // then: the override replaced the templates for that call only
        List<List<String>> alphaRequests = PROVIDER.requests("pg-a").stream().map(PlaygroundHttpTest::sent).toList();
        assertThat(alphaRequests).containsExactlyInAnyOrder(
                List.of("system: Be brief.", "user: Summarize: The bakery opens at six."),
                List.of("system: Be formal.", "user: Translate: The bakery opens at six."));
        PROVIDER.script("pg-a", text("Again.", 10, 2));
        Response plain = owner.post("/api/runs", Map.of("model", "pg-alpha", "input", Map.of("text", "Later.")));
        assertThat(plain.status()).as(plain.describe()).isEqualTo(200);
        assertThat(sent(PROVIDER.requests("pg-a").getFirst())).containsExactly("system: Be brief.", "user: Summarize: Later.");

        // then: each target is a run of its own, logged with entry_point playground
        for (int i = 0; i < 4; i++) {
            String runId = results.get(i).path("run_id").asString();
            assertThat(count("select count(*) from usage_records where run_id = ? and entry_point = 'playground'", runId))
                    .as("usage row of target " + i).isEqualTo(1);
        }
    }

    @Test
    void should_refuse_viewers_and_members_with_permission_denied() {
        Map<String, Object> body = compare(Map.of("text", "x"), List.of(target("pg-alpha"), target("pg-beta")));
        for (String role : new String[] {"viewer", "member"}) {
            GatewayClient client = anonymous.withKey(accounts.key(role).secret());
            assertProblem(client.post("/api/playground/compare", body), 403, "permission_denied", "permission");
        }
    }

    @Test
    void should_refuse_a_malformed_comparison_naming_every_field() {
        Response one = owner.post("/api/playground/compare", compare(Map.of("text", "x"), List.of(target("pg-alpha"))));
        JsonNode p = assertProblem(one, 400, "invalid_comparison", "invalid_request");
        assertThat(p.path("errors").findValuesAsString("path")).containsExactly("$.targets");

        Map<String, Object> bad = new LinkedHashMap<>();
        bad.put("targets", List.of(target("pg-alpha", "colour", "red"), Map.of("mode", "execute")));
        bad.put("extra", true);
        JsonNode q = assertProblem(owner.post("/api/playground/compare", bad), 400, "invalid_comparison", "invalid_request");
        assertThat(q.path("errors").findValuesAsString("path")).containsExactlyInAnyOrder("$.extra", "$.input",
                "$.targets[0].colour", "$.targets[1].model");
    }

    @Test
    void should_refuse_an_override_of_a_field_the_kind_does_not_offer_for_that_target_only() {
        PROVIDER.script("pg-b", text("Fine.", 10, 2));
        Response r = owner.post("/api/playground/compare", compare(Map.of("text", "x"), List.of(
                target("pg-alpha", "overrides", Map.of("persona", "Pirate.")),
                target("pg-beta"))));
        assertThat(r.status()).as(r.describe()).isEqualTo(200);
        JsonNode refused = r.json().path("results").get(0);
        assertThat(refused.path("status").asString()).isEqualTo("failed");
        assertThat(refused.path("problem").path("code").asString()).isEqualTo("invalid_overrides");
        assertThat(refused.path("problem").path("errors").findValuesAsString("path"))
                .containsExactly("$.targets[0].overrides.persona");
        assertThat(refused.path("run_id").isNull()).isTrue();
        assertThat(r.json().path("results").get(1).path("status").asString()).isEqualTo("succeeded");
    }

    @Test
    void should_reserve_for_every_target_up_front_and_answer_402_when_the_wallet_cannot_cover_all() {
        // given: a workspace with 35 credits; pg-pricey costs 10 credits a run
        GatewayClient poor = workspaceWith("35");
        PROVIDER.script("pg-p", text("Priced.", 5, 1));
        List<Map<String, Object>> four = List.of(target("pg-pricey"), target("pg-pricey"), target("pg-pricey"),
                target("pg-pricey"));

        // when: four targets need 40 credits
        Response refused = poor.post("/api/playground/compare", compare(Map.of("text", "x"), four));

        // then: refused before any provider call; nothing charged or held
        assertProblem(refused, 402, "insufficient_funds", "limit");
        assertThat(PROVIDER.requests("pg-p")).isEmpty();
        JsonNode wallet = poor.get("/api/billing/wallet").json();
        assertThat(wallet.path("balance").asString()).isEqualTo("35.000000");
        assertThat(wallet.path("available").asString()).isEqualTo("35.000000");

        // when: three targets fit
        Response three = poor.post("/api/playground/compare", compare(Map.of("text", "x"), four.subList(0, 3)));

        // then: each run charged like any run
        assertThat(three.status()).as(three.describe()).isEqualTo(200);
        assertThat(three.json().path("total_cost").path("credits").asString()).isEqualTo("30.000000");
        assertThat(PROVIDER.requests("pg-p")).hasSize(3);
        assertThat(poor.get("/api/billing/wallet").json().path("balance").asString()).isEqualTo("5.000000");
    }

    @Test
    void should_take_the_limits_for_every_target_before_any_runs() {
        // given: a workspace that may run two models at once
        GatewayClient limited = workspaceWith("50");
        Response set = limited.json("PUT", "/api/limits", Map.of("concurrent_runs", 2));
        assertThat(set.status()).as(set.describe()).isEqualTo(200);
        PROVIDER.script("pg-p", text("Priced.", 5, 1));

        // when: three targets would run at once
        Response refused = limited.post("/api/playground/compare", compare(Map.of("text", "x"),
                List.of(target("pg-pricey"), target("pg-pricey"), target("pg-pricey"))));

        // then: the whole comparison is refused by the limit before any provider call, and every hold is given back
        JsonNode p = assertProblem(refused, 429, refused.json().path("code").asString(), "limit");
        assertThat(p.path("detail").asString()).isNotBlank();
        assertThat(PROVIDER.requests("pg-p")).isEmpty();
        assertThat(limited.get("/api/billing/wallet").json().path("available").asString()).isEqualTo("50.000000");

        // and two fit
        Response two = limited.post("/api/playground/compare", compare(Map.of("text", "x"),
                List.of(target("pg-pricey"), target("pg-pricey"))));
        assertThat(two.status()).as(two.describe()).isEqualTo(200);
        assertThat(two.json().path("succeeded").asInt()).isEqualTo(2);
    }

    @Test
    void should_refuse_vector_index_and_delete_and_content_save_and_write_no_conversation() {
        PROVIDER.script("pg-a", text("Indexed nothing.", 10, 2));
        PROVIDER.script("pg-chat", text("Hello there.", 10, 2));
        long conversationsBefore = count("select count(*) from conversations");

        // vector writes: refused per target with the field to change; the other target runs
        Map<String, Object> vectors = new LinkedHashMap<>();
        vectors.put("input", Map.of("texts", List.of("a secret note")));
        vectors.put("scope", "pg-notes");
        vectors.put("targets", List.of(target("text-embed", "mode", "index"), target("text-embed", "mode", "delete"),
                target("pg-alpha")));
        Response v = owner.post("/api/playground/compare", vectors);
        assertThat(v.status()).as(v.describe()).isEqualTo(200);
        for (int i = 0; i < 2; i++) {
            JsonNode refused = v.json().path("results").get(i);
            assertThat(refused.path("status").asString()).isEqualTo("failed");
            assertThat(refused.path("problem").path("code").asString()).isEqualTo("side_effects_not_allowed");
            assertThat(refused.path("problem").path("status").asInt()).isEqualTo(400);
            assertThat(refused.path("problem").path("errors").findValuesAsString("path")).containsExactly("$.targets[" + i + "].mode");
        }
        assertThat(v.json().path("results").get(2).path("status").asString()).isEqualTo("succeeded");
        assertThat(owner.get("/api/knowledge-bases").json().path("data").findValuesAsString("scope")).doesNotContain("pg-notes");

        // content save: refused
        Response c = owner.post("/api/playground/compare", compare(Map.of("topic", "rye"), List.of(
                target("pg-writer", "mode", "generate", "params", Map.of("save", true)), target("pg-alpha"))));
        assertThat(c.status()).as(c.describe()).isEqualTo(200);
        JsonNode save = c.json().path("results").get(0).path("problem");
        assertThat(save.path("code").asString()).isEqualTo("side_effects_not_allowed");
        assertThat(save.path("errors").findValuesAsString("path")).containsExactly("$.targets[0].params.save");

        // a chatbot turn answers but keeps no conversation
        Response chat = owner.post("/api/playground/compare", compare(Map.of("message", "Hi"), List.of(
                target("pg-chat", "mode", "chat"), target("pg-chat", "mode", "chat"))));
        assertThat(chat.status()).as(chat.describe()).isEqualTo(200);
        JsonNode turn = chat.json().path("results").get(0);
        assertThat(turn.path("output").path("reply").asString()).isEqualTo("Hello there.");
        assertThat(turn.path("output").has("conversation_id")).isFalse();
        assertThat(count("select count(*) from conversations")).isEqualTo(conversationsBefore);
        assertThat(count("select count(*) from conversation_messages")).isZero();
    }
}
