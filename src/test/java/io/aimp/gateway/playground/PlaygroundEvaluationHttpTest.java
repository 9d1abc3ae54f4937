package io.aimp.gateway.playground;

import static io.aimp.gateway.playground.PlaygroundCatalog.PROVIDER;
import static io.aimp.gateway.support.ProblemAssert.assertProblem;
import static io.aimp.gateway.support.ScriptedOpenAi.text;
import static io.aimp.gateway.support.ScriptedOpenAi.toolCall;
import static org.assertj.core.api.Assertions.assertThat;

import io.aimp.gateway.common.Money;
import io.aimp.gateway.support.CheckedAgainstOpenApi;
import io.aimp.gateway.support.GatewayClient;
import io.aimp.gateway.support.GatewayClient.Response;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** POST /api/playground/evaluations: a suite of cases over an assistant with tools, each expectation passing and failing. */
@CheckedAgainstOpenApi
class PlaygroundEvaluationHttpTest extends PlaygroundHttpBase {

    private static Map<String, Object> kase(String name, String message, Map<String, ?> expect) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("name", name);
        c.put("input", Map.of("message", message));
        c.put("expect", expect);
        return c;
    }

    @Test
    void should_grade_ten_assistant_cases_with_tool_schema_cost_and_judge_expectations() {
        // given: the assistant's provider scripted case by case (cases run in order), the judge's for its two cases
        PROVIDER.script("pg-tools",
                toolCall("c1", "run_code", "{\"code\":\"6 * 7\"}", 20, 4), text("42", 30, 2),      // 1 tool called
                text("I guess 42", 20, 3),                                                           // 2 no tool call
                toolCall("c3", "run_code", "{\"code\":\"1 + 2\"}", 20, 4), text("3", 30, 1),        // 3 called, must not
                toolCall("c4", "run_code", "{\"code\":\"1 + 1\"}", 20, 4), text("2", 30, 1),        // 4 wrong arguments
                text("{\"city\": \"Paris\", \"population\": 2100000}", 20, 12),                     // 5 schema ok
                text("{\"city\": 7}", 20, 6),                                                        // 6 schema broken
                text("cheap", 10, 2),                                                                // 7 within cost
                text("expensive", 40, 20),                                                           // 8 over cost
                text("Thank you for asking! Here is the answer.", 20, 9),                            // 9 judge passes
                text("Figure it out yourself.", 20, 5));                                             // 10 judge fails
        PROVIDER.script("pg-judge", text("PASS polite and helpful", 60, 4), text("FAIL the answer is rude", 60, 5));
        Map<String, Object> schema = Map.of("type", "object", "required", List.of("city", "population"),
                "properties", Map.of("city", Map.of("type", "string"), "population", Map.of("type", "integer")));
        List<Map<String, Object>> cases = List.of(
                kase("calculates", "What is 6 times 7?",
                        Map.of("tool_called", Map.of("name", "run_code", "arguments", Map.of("code", Map.of("contains", "6 * 7"))),
                                "contains", "42")),
                kase("must calculate", "What is 6 times 7?", Map.of("tool_called", "run_code")),
                kase("must not calculate", "Say 3", Map.of("tool_called", Map.of("name", "run_code", "called", false))),
                kase("multiplies", "What is 1 times 1?",
                        Map.of("tool_called", Map.of("name", "run_code", "arguments", Map.of("code", Map.of("regex", "\\*"))))),
                kase("structured", "Paris as JSON", Map.of("json_schema", schema,
                        "equals", Map.of("path", "$.city", "value", "Paris"))),
                kase("structured again", "Paris as JSON", Map.of("json_schema", schema)),
                kase("cheap", "Be short", Map.of("max_cost", "1")),
                kase("too dear", "Be short", Map.of("max_cost", "0.000001")),
                kase("polite", "Help me", Map.of("judge", "The answer is polite.")),
                kase("rude", "Help me", Map.of("judge", Map.of("rubric", "The answer is polite.", "model", "pg-grader"))));
        GatewayClient developer = anonymous.withKey(accounts.key("developer").secret());

        // when
        Response r = developer.post("/api/playground/evaluations", Map.of(
                "targets", List.of(Map.of("model", "pg-agent")), "judge", Map.of("model", "pg-grader"), "cases", cases));

        // then: each case passes or fails where it should, with the expectation that failed named in its reasons
        assertThat(r.status()).as(r.describe()).isEqualTo(200);
        JsonNode results = r.json().path("results");
        assertThat(results).hasSize(10);
        List<Boolean> passed = new ArrayList<>();
        results.forEach(x -> passed.add(x.path("passed").asBoolean()));
        assertThat(passed).containsExactly(true, false, false, false, true, false, true, false, true, false);
        assertThat(reasons(results.get(0))).isEmpty();
        assertThat(reasons(results.get(1))).singleElement().asString().startsWith("tool_called: no call of run_code");
        assertThat(reasons(results.get(2))).singleElement().asString().startsWith("tool_called: run_code was called");
        assertThat(reasons(results.get(3))).singleElement().asString().contains("with the expected arguments");
        assertThat(reasons(results.get(5))).containsExactlyInAnyOrder("json_schema: $.city integer found, string expected",
                "json_schema: $.population is required");
        assertThat(reasons(results.get(7))).singleElement().asString().startsWith("max_cost: the run cost 0.080000 credits");
        assertThat(reasons(results.get(9))).singleElement().asString().isEqualTo("judge: FAIL the answer is rude");
        assertThat(results.get(8).path("judge").path("verdict").asString()).isEqualTo("pass");
        assertThat(results.get(9).path("judge").path("verdict").asString()).isEqualTo("fail");

        // then: the judge saw the rubric and the answer, and its cost is reported
        List<JsonNode> graded = PROVIDER.requests("pg-judge");
        assertThat(graded).hasSize(2);
        assertThat(graded.get(1).toString()).contains("The answer is polite.").contains("Figure it out yourself.");
        long judgeCost = Money.parseCredits(r.json().path("judge_cost").path("credits").asString());
        assertThat(judgeCost).isEqualTo(2 * 60 * 1_000 + (4 + 5) * 2_000);
        assertThat(results.get(8).path("judge").path("cost").path("credits").asString()).isEqualTo("0.068000");

        // then: the target's pass rate, and the total cost is every run's, the judge's included
        JsonNode target = r.json().path("targets").get(0);
        assertThat(target.path("passed").asInt()).isEqualTo(4);
        assertThat(target.path("failed").asInt()).isEqualTo(6);
        assertThat(target.path("pass_rate").asDouble()).isEqualTo(0.4);
        long runs = 0;
        for (JsonNode x : results) {
            runs += Money.parseCredits(x.path("cost").path("credits").asString());
        }
        assertThat(Money.parseCredits(target.path("cost").path("credits").asString())).isEqualTo(runs);
        assertThat(Money.parseCredits(r.json().path("total_cost").path("credits").asString())).isEqualTo(runs + judgeCost);
        // every run, the judge's too, is a playground run
        assertThat(count("select count(*) from usage_records where run_id = ? and entry_point = 'playground'",
                results.get(8).path("judge").path("run_id").asString())).isEqualTo(1);
    }

    @Test
    void should_refuse_a_malformed_suite_and_members() {
        Map<String, Object> bad = Map.of("targets", List.of(Map.of("model", "pg-agent")), "cases", List.of(
                Map.of("input", Map.of("message", "x"), "expect", Map.of("regex", "(", "sounds_like", "x")),
                Map.of("input", Map.of("message", "x"), "expect", Map.of("judge", "polite"))));
        JsonNode p = assertProblem(owner.post("/api/playground/evaluations", bad), 400, "invalid_evaluation", "invalid_request");
        assertThat(p.path("errors").findValuesAsString("path")).containsExactlyInAnyOrder("$.cases[0].expect.regex",
                "$.cases[0].expect.sounds_like", "$.cases[1].expect.judge");

        GatewayClient member = anonymous.withKey(accounts.key("member").secret());
        assertProblem(member.post("/api/playground/evaluations", Map.of("targets", List.of(Map.of("model", "pg-agent")),
                "cases", List.of(Map.of("input", Map.of("message", "x"))))), 403, "permission_denied", "permission");
    }

    @Test
    void should_validate_a_release_with_its_catalog_suite_and_show_the_last_result_on_the_marketplace() {
        // given: the 1.0.0 release greets but cannot count
        PROVIDER.script("pg-s", text("hello there", 5, 2), text("one, two, many", 5, 4));

        // when: its catalog suite (tests:) runs against the release that is not current
        Response r = owner.post("/api/playground/evaluations", Map.of("model", "pg-suite", "release", "1.0.0"));

        // then: the report names the release; the release's model was the one called
        assertThat(r.status()).as(r.describe()).isEqualTo(200);
        assertThat(r.json().path("release").asString()).isEqualTo("1.0.0");
        assertThat(r.json().path("suite").asString()).isEqualTo("catalog");
        assertThat(r.json().path("results").findValuesAsString("name")).containsExactly("greets", "counts");
        assertThat(r.json().path("results").get(1).path("reasons").get(0).asString()).startsWith("regex:");
        assertThat(PROVIDER.requests("pg-s")).allSatisfy(q -> assertThat(q.path("model").asString()).isEqualTo("suite-model-1"));

        // then: the marketplace detail shows the last result of that release only, for this workspace
        JsonNode releases = owner.get("/api/marketplace/models/pg-suite").json().path("releases");
        JsonNode v1 = releases.get(1);
        assertThat(v1.path("version").asString()).isEqualTo("1.0.0");
        assertThat(v1.path("last_evaluation").path("cases").asInt()).isEqualTo(2);
        assertThat(v1.path("last_evaluation").path("passed").asInt()).isEqualTo(1);
        assertThat(v1.path("last_evaluation").path("pass_rate").asDouble()).isEqualTo(0.5);
        assertThat(v1.path("last_evaluation").path("evaluated_at").asString()).isNotBlank();
        assertThat(releases.get(0).path("last_evaluation").isNull()).isTrue();

        // when: validated again after a fix, the last result replaces the one before
        PROVIDER.script("pg-s", text("hello", 5, 1), text("1 2 3", 5, 3));
        assertThat(owner.post("/api/playground/evaluations", Map.of("model", "pg-suite", "release", "1.0.0")).status())
                .isEqualTo(200);
        JsonNode again = owner.get("/api/marketplace/models/pg-suite").json().path("releases").get(1).path("last_evaluation");
        assertThat(again.path("passed").asInt()).isEqualTo(2);

        // a model without a suite, and a release it never had, are refused
        assertProblem(owner.post("/api/playground/evaluations", Map.of("model", "pg-alpha")), 400, "no_test_suite",
                "invalid_request");
        assertProblem(owner.post("/api/playground/evaluations", Map.of("model", "pg-suite", "release", "9.9.9")), 404,
                "release_not_found", "invalid_request");
    }

    @Test
    void should_answer_the_partial_report_when_the_wallet_stops_a_suite_midway() {
        // given: 25 credits; pg-pricey costs 10 a run, so two of the four cases fit
        Workspace ws = newWorkspace("25");
        PROVIDER.script("pg-p", text("Priced.", 5, 1));
        List<Map<String, Object>> cases = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            cases.add(Map.of("name", "case " + i, "input", Map.of("text", "x"),
                    "expect", Map.of("contains", i == 2 ? "Free" : "Priced")));
        }

        // when
        Response r = ws.owner().post("/api/playground/evaluations", Map.of("targets", List.of(Map.of("model", "pg-pricey")),
                "cases", cases));

        // then: the cases that ran keep their results and costs; the rest are not run, with the wallet's refusal
        assertThat(r.status()).as(r.describe()).isEqualTo(200);
        JsonNode report = r.json();
        assertThat(report.path("status").asString()).isEqualTo("stopped");
        assertThat(report.path("stopped_by").path("code").asString()).isEqualTo("insufficient_funds");
        assertThat(report.path("stopped_by").path("status").asInt()).isEqualTo(402);
        JsonNode results = report.path("results");
        List<String> states = new ArrayList<>();
        results.forEach(x -> states.add(x.path("status").asString()));
        assertThat(states).containsExactly("ran", "ran", "not_run", "not_run");
        assertThat(results.get(0).path("passed").asBoolean()).isTrue();
        assertThat(results.get(1).path("passed").asBoolean()).isFalse();
        assertThat(reasons(results.get(1))).singleElement().asString().startsWith("contains:");
        for (int i = 0; i < 2; i++) {
            assertThat(results.get(i).path("cost").path("credits").asString()).isEqualTo("10.000000");
            assertThat(results.get(i).path("run_id").asString()).startsWith("run_");
        }
        for (int i = 2; i < 4; i++) {
            JsonNode notRun = results.get(i);
            assertThat(notRun.path("passed").asBoolean()).isFalse();
            assertThat(notRun.path("run_id").isNull()).isTrue();
            assertThat(notRun.path("cost").path("credits").asString()).isEqualTo("0.000000");
            assertThat(notRun.path("problem").path("code").asString()).isEqualTo("insufficient_funds");
            assertThat(reasons(notRun)).singleElement().asString().startsWith("not run: insufficient_funds: ");
        }
        JsonNode target = report.path("targets").get(0);
        assertThat(target.path("cases").asInt()).isEqualTo(4);
        assertThat(target.path("passed").asInt()).isEqualTo(1);
        assertThat(target.path("failed").asInt()).isEqualTo(3);
        assertThat(target.path("not_run").asInt()).isEqualTo(2);
        assertThat(report.path("total_cost").path("credits").asString()).isEqualTo("20.000000");
        // exactly the runs that ran reached the provider and were charged
        assertThat(PROVIDER.requests("pg-p")).hasSize(2);
        assertThat(ws.owner().get("/api/billing/wallet").json().path("balance").asString()).isEqualTo("5.000000");
    }

    private static List<String> reasons(JsonNode result) {
        List<String> out = new ArrayList<>();
        result.path("reasons").forEach(x -> out.add(x.asString()));
        return out;
    }
}
