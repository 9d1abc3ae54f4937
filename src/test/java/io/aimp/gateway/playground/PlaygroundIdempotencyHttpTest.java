package io.aimp.gateway.playground;

import static io.aimp.gateway.playground.PlaygroundCatalog.PROVIDER;
import static io.aimp.gateway.support.ProblemAssert.assertProblem;
import static io.aimp.gateway.support.ScriptedOpenAi.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.aimp.gateway.support.CheckedAgainstOpenApi;
import io.aimp.gateway.support.GatewayClient;
import io.aimp.gateway.support.GatewayClient.Response;
import io.aimp.gateway.support.TestAccounts;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Idempotency-Key on the playground's POSTs: the rule of runs, scoped to the workspace, the caller and the route. */
@CheckedAgainstOpenApi
class PlaygroundIdempotencyHttpTest extends PlaygroundHttpBase {

    private static Map<String, Object> compare(String text) {
        return Map.of("input", Map.of("text", text), "targets", List.of(Map.of("model", "pg-pricey"), Map.of("model", "pg-pricey")));
    }

    private static Map<String, Object> suite(boolean async) {
        return Map.of("targets", List.of(Map.of("model", "pg-pricey")), "options", Map.of("async", async),
                "cases", List.of(Map.of("input", Map.of("text", "x"), "expect", Map.of("contains", "Priced"))));
    }

    private static String balance(GatewayClient client) {
        return client.get("/api/billing/wallet").json().path("balance").asString();
    }

    @Test
    void should_run_a_comparison_once_per_key_and_replay_its_answer() {
        // given: a workspace with 100 credits; pg-pricey costs 10 a run
        Workspace ws = newWorkspace("100");
        PROVIDER.script("pg-p", text("Priced.", 5, 1));
        GatewayClient keyed = ws.owner().withHeader("Idempotency-Key", "cmp-1");

        // when: the same comparison is sent twice with the same key
        Response first = keyed.post("/api/playground/compare", compare("x"));
        Response again = keyed.post("/api/playground/compare", compare("x"));

        // then: it ran and was charged once; the second answer is the first, marked replayed
        assertThat(first.status()).as(first.describe()).isEqualTo(200);
        assertThat(first.header("Idempotent-Replayed")).isNull();
        assertThat(again.status()).as(again.describe()).isEqualTo(200);
        assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(again.json()).isEqualTo(first.json());
        assertThat(PROVIDER.requests("pg-p")).hasSize(2);
        assertThat(balance(ws.owner())).isEqualTo("80.000000");

        // then: the same key with another body is refused as for runs, and nothing runs
        assertProblem(keyed.post("/api/playground/compare", compare("y")), 422, "idempotency_key_mismatch", "invalid_request");
        assertThat(PROVIDER.requests("pg-p")).hasSize(2);

        // then: the key is the caller's on that route: another route, or another caller, is another key
        Response suite = keyed.post("/api/playground/evaluations", suite(false));
        assertThat(suite.status()).as(suite.describe()).isEqualTo(200);
        assertThat(suite.header("Idempotent-Replayed")).isNull();
        Response suiteAgain = keyed.post("/api/playground/evaluations", suite(false));
        assertThat(suiteAgain.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(suiteAgain.json()).isEqualTo(suite.json());
        GatewayClient developer = anonymous.withKey(new TestAccounts(ws.owner()).key("developer").secret());
        Response otherCaller = developer.withHeader("Idempotency-Key", "cmp-1").post("/api/playground/compare", compare("x"));
        assertThat(otherCaller.status()).as(otherCaller.describe()).isEqualTo(200);
        assertThat(otherCaller.header("Idempotent-Replayed")).isNull();
        assertThat(balance(ws.owner())).isEqualTo("50.000000");

        // a malformed key is refused naming the header
        JsonNode bad = assertProblem(ws.owner().withHeader("Idempotency-Key", "k".repeat(300)).post("/api/playground/compare",
                compare("x")), 400, "invalid_idempotency_key", "invalid_request");
        assertThat(bad.path("errors").findValuesAsString("path")).containsExactly("Idempotency-Key");
    }

    @Test
    void should_queue_an_async_suite_once_per_key() {
        Workspace ws = newWorkspace("100");
        PROVIDER.script("pg-p", text("Priced.", 5, 1));
        GatewayClient keyed = ws.owner().withHeader("Idempotency-Key", "suite-1");

        Response first = keyed.post("/api/playground/evaluations", suite(true));
        Response again = keyed.post("/api/playground/evaluations", suite(true));

        assertThat(first.status()).as(first.describe()).isEqualTo(202);
        assertThat(again.status()).as(again.describe()).isEqualTo(202);
        assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(again.get("id")).isEqualTo(first.get("id"));
        assertThat(again.header("Location")).isEqualTo(first.header("Location"));
        assertThat(count("select count(*) from jobs where workspace_id = ? and mode = 'playground.evaluation'", ws.id()))
                .isEqualTo(1);
        // the synchronous form of the suite is another body
        assertProblem(keyed.post("/api/playground/evaluations", suite(false)), 422, "idempotency_key_mismatch",
                "invalid_request");

        await().atMost(Duration.ofSeconds(60)).until(() -> !"running".equals(ws.owner().get(first.header("Location")).get("status")));
        assertThat(ws.owner().get(first.header("Location")).get("status")).isEqualTo("completed");
        assertThat(balance(ws.owner())).isEqualTo("90.000000");
    }
}
