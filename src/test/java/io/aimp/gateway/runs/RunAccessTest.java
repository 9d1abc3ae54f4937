package io.aimp.gateway.runs;

import io.aimp.gateway.support.CheckedAgainstOpenApi;
import static io.aimp.gateway.support.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.aimp.gateway.storage.Database;
import io.aimp.gateway.support.GatewayClient;
import io.aimp.gateway.support.GatewayClient.Response;
import io.aimp.gateway.support.TestAccounts;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * Who may see and replay what: idempotency keys are per caller, reads through a key respect its model
 * allowlist, options have one range, and {@code persist: false} keeps no input whatever the end.
 */
@CheckedAgainstOpenApi
class RunAccessTest extends RunsHttpTest {

    private static final Map<String, Object> CONTRACT_RUN = Map.of("model", "contract-model",
            "input", Map.of("prompt", "hello", "count", 2));

    @Autowired
    Database db;

    private static Set<String> field(Response r, String name) {
        assertThat(r.status()).as(r.describe()).isEqualTo(200);
        return r.json().path("data").valueStream().map(n -> n.path(name).asString()).collect(Collectors.toSet());
    }

    private String storedInput(String runId) {
        return db.jdbc().sql("select input from runs where id = ?").param(runId).query(String.class).optional().orElse(null);
    }

    // --- idempotency keys belong to the caller ---

    @Test
    void should_never_replay_one_callers_response_to_another_member_with_the_same_key_and_body() {
        GatewayClient otherMember = anonymous.withKey(accounts.key("member").secret());
        GatewayClient idem = owner.withHeader("Idempotency-Key", "shared-key-1");
        Response first = idem.post("/api/runs", CONTRACT_RUN);
        assertThat(first.status()).as(first.describe()).isEqualTo(200);
        int calls = FAKE.calls("ok");

        Response other = otherMember.withHeader("Idempotency-Key", "shared-key-1").post("/api/runs", CONTRACT_RUN);

        assertThat(other.status()).as(other.describe()).isEqualTo(200);
        assertThat(other.header("Idempotent-Replayed")).isNull();
        assertThat(other.get("id")).isNotEqualTo(first.get("id"));
        assertThat(FAKE.calls("ok")).isEqualTo(calls + 1);
        // the first caller still gets its own response back, executing nothing
        Response replay = idem.post("/api/runs", CONTRACT_RUN);
        assertThat(replay.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(replay.get("id")).isEqualTo(first.get("id"));
        assertThat(FAKE.calls("ok")).isEqualTo(calls + 1);
    }

    @Test
    void should_scope_a_session_and_a_key_of_the_same_user_apart() {
        TestAccounts.Member m = accounts.member("developer");
        GatewayClient session = anonymous.withBearer(TestAccounts.login(anonymous, m).accessToken());
        GatewayClient key = anonymous.withKey(new TestAccounts(owner).key("developer").secret());
        Response bySession = session.withHeader("Idempotency-Key", "shared-key-2").post("/api/runs", CONTRACT_RUN);
        Response byKey = key.withHeader("Idempotency-Key", "shared-key-2").post("/api/runs", CONTRACT_RUN);

        assertThat(bySession.status()).isEqualTo(200);
        assertThat(byKey.status()).isEqualTo(200);
        assertThat(byKey.get("id")).isNotEqualTo(bySession.get("id"));
        assertThat(byKey.header("Idempotent-Replayed")).isNull();
    }

    // --- reads through a key respect its allowlist ---

    @Test
    void should_show_a_key_only_the_runs_logs_usage_and_models_of_its_allowlist() {
        Response other = owner.post("/api/runs", Map.of("model", "demo-model", "input", Map.of("text", "Another model's output.")));
        assertThat(other.status()).as(other.describe()).isEqualTo(200);
        GatewayClient narrow = anonymous.withKey(accounts.key(Map.of("name", "narrow", "role", "developer",
                "models", List.of("contract-model"))).secret());
        Response allowed = narrow.post("/api/runs", CONTRACT_RUN);
        assertThat(allowed.status()).as(allowed.describe()).isEqualTo(200);
        String otherId = other.get("id");
        String allowedId = allowed.get("id");

        assertThat(field(narrow.get("/api/runs?limit=100"), "model")).containsOnly("contract-model");
        assertThat(field(narrow.get("/api/runs?limit=100"), "id")).contains(allowedId).doesNotContain(otherId);
        assertProblem(narrow.get("/api/runs/" + otherId), 404, "not_found", "invalid_request");
        assertThat(narrow.get("/api/runs/" + allowedId).status()).isEqualTo(200);
        assertThat(field(narrow.get("/api/logs/usage?limit=200"), "model")).containsOnly("contract-model");
        assertThat(narrow.get("/api/logs/executions?run_id=" + otherId).json().path("data").isEmpty()).isTrue();
        assertThat(narrow.get("/api/logs/executions?run_id=" + allowedId).json().path("data").isEmpty()).isFalse();
        assertThat(field(narrow.get("/api/stats/usage?group_by=model"), "model")).containsOnly("contract-model");
        Response summary = narrow.get("/api/billing/usage/summary?group_by=model");
        assertThat(summary.status()).as(summary.describe()).isEqualTo(200);
        assertThat(summary.text()).contains("contract-model").doesNotContain("demo-model");
        assertThat(field(narrow.get("/api/marketplace/models?limit=100"), "slug")).containsOnly("contract-model");
        assertThat(narrow.get("/api/marketplace/models?limit=1&offset=0").json().path("total").asInt()).isEqualTo(1);
        assertThat(narrow.get("/api/marketplace/models/contract-model").status()).isEqualTo(200);
        assertProblem(narrow.get("/api/marketplace/models/demo-model"), 404, "not_found", "invalid_request");
        // the owner's own key still sees both
        assertThat(field(owner.get("/api/runs?limit=100"), "id")).contains(otherId, allowedId);
    }

    // --- option ranges and numbers ---

    @Test
    void should_refuse_out_of_range_options_naming_the_path_without_calling_the_provider() {
        int calls = FAKE.calls("ok");
        for (String timeout : List.of("0", "-1", "600001", "9223372036854775808", "18446744073709551616", "1e30",
                "1.5", "\"1000\"", "true")) {
            Response r = owner.post("/api/runs", "{\"model\":\"contract-model\",\"input\":{\"prompt\":\"a\",\"count\":1},"
                    + "\"options\":{\"timeout_ms\":" + timeout + "}}");
            JsonNode body = assertProblem(r, 400, "invalid_option", "invalid_request");
            assertThat(body.path("errors").get(0).path("path").asString()).as(timeout).isEqualTo("$.options.timeout_ms");
        }
        for (String option : List.of("async", "persist")) {
            Response r = owner.post("/api/runs", "{\"model\":\"contract-model\",\"input\":{\"prompt\":\"a\",\"count\":1},"
                    + "\"options\":{\"" + option + "\":1}}");
            JsonNode body = assertProblem(r, 400, "invalid_option", "invalid_request");
            assertThat(body.path("errors").get(0).path("path").asString()).isEqualTo("$.options." + option);
        }
        assertThat(FAKE.calls("ok")).isEqualTo(calls);
        assertThat(owner.post("/api/runs", "{\"model\":\"contract-model\",\"input\":{\"prompt\":\"a\",\"count\":1},"
                + "\"options\":{\"timeout_ms\":5000.0}}").status()).isEqualTo(200);
    }

    @Test
    void should_refuse_out_of_range_job_options_naming_the_path() {
        for (String timeout : List.of("0", "9223372036854775808", "1.5")) {
            Response r = owner.post("/api/jobs", "{\"model\":\"contract-model\",\"items\":[{\"prompt\":\"a\",\"count\":1}],"
                    + "\"options\":{\"timeout_ms\":" + timeout + "}}");
            JsonNode body = assertProblem(r, 400, "invalid_option", "invalid_request");
            assertThat(body.path("errors").get(0).path("path").asString()).isEqualTo("$.options.timeout_ms");
        }
        Response persist = owner.post("/api/jobs", "{\"model\":\"contract-model\",\"items\":[{\"prompt\":\"a\",\"count\":1}],"
                + "\"options\":{\"persist\":\"no\"}}");
        assertProblem(persist, 400, "invalid_option", "invalid_request");
    }

    @Test
    void should_treat_a_whole_number_written_with_a_fraction_as_that_integer() {
        Response whole = owner.post("/api/runs", "{\"model\":\"contract-model\",\"input\":{\"prompt\":\"a\",\"count\":2.0},"
                + "\"params\":{\"temperature\":1.0}}");
        assertThat(whole.status()).as(whole.describe()).isEqualTo(200);
        assertThat(storedInput(whole.get("id"))).isEqualTo("{\"prompt\":\"a\",\"count\":2}");

        Response fraction = owner.post("/api/runs", "{\"model\":\"contract-model\",\"input\":{\"prompt\":\"a\",\"count\":2.5}}");
        JsonNode body = assertProblem(fraction, 400, "invalid_input", "invalid_request");
        assertThat(body.path("errors").toString()).contains("$.input.count");
    }

    // --- persist: false ---

    @Test
    void should_store_no_input_of_a_persist_false_run_whatever_its_end() {
        Response ok = owner.post("/api/runs", Map.of("model", "contract-model", "input", Map.of("prompt", "secret-ok", "count", 1),
                "options", Map.of("persist", false)));
        assertThat(ok.status()).as(ok.describe()).isEqualTo(200);
        Response failed = owner.post("/api/runs", Map.of("model", "all-fail-model", "input", Map.of("text", "secret-failed"),
                "options", Map.of("persist", false)));
        assertThat(failed.status()).as(failed.describe()).isGreaterThanOrEqualTo(500);
        String failedId = failed.get("run_id");
        assertThat(failedId).isNotBlank();
        Response kept = owner.post("/api/runs", Map.of("model", "all-fail-model", "input", Map.of("text", "kept-failed")));
        assertThat(kept.get("run_id")).isNotBlank();

        assertThat(storedInput(ok.get("id"))).isNull();
        assertThat(storedInput(failedId)).isNull();
        assertThat(owner.get("/api/runs/" + failedId).get("status")).isEqualTo("failed");
        assertThat(storedInput(kept.get("run_id"))).contains("kept-failed");
        assertThat(db.jdbc().sql("select count(*) from runs where input like '%secret-%' or params like '%secret-%'")
                .query(Long.class).single()).isZero();
    }

    @Test
    void should_store_no_input_of_a_canceled_persist_false_run() {
        // given an async run whose provider takes two seconds
        Response queued = owner.post("/api/runs", Map.of("model", "slow-only-model", "input", Map.of("text", "secret-canceled"),
                "options", Map.of("persist", false, "async", true)));
        assertThat(queued.status()).as(queued.describe()).isEqualTo(202);
        String id = queued.get("id");

        // when it is canceled (queued or running)
        Response canceled = owner.post("/api/runs/" + id + "/cancel", "{}");

        // then it ends canceled without its input
        assertThat(canceled.status()).as(canceled.describe()).isEqualTo(200);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
                .until(() -> owner.get("/api/runs/" + id).get("status"), "canceled"::equals);
        assertThat(storedInput(id)).isNull();
    }
}
