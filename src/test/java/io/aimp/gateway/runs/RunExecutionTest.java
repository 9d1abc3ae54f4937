package io.aimp.gateway.runs;

import io.aimp.gateway.support.CheckedAgainstOpenApi;
import static io.aimp.gateway.support.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.aimp.gateway.support.FakeOpenAi;
import io.aimp.gateway.support.GatewayClient.Response;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Runs through the whole pipeline: seed examples, provider fallback, usage records and execution logs. */
@CheckedAgainstOpenApi
class RunExecutionTest extends RunsHttpTest {

    /** The body of the seed documents' curl example, byte for byte. */
    static final String SEED_CURL_BODY = """
            {
                "model": "demo-model",
                "mode": "execute",
                "scope": "playground",
                "input": {
                  "text": "Write a one-line summary."
                },
                "params": {}
              }""";
    /** What Python requests sends for the seed's {@code json=} argument. */
    static final String SEED_PYTHON_BODY =
            "{\"model\": \"demo-model\", \"mode\": \"execute\", \"scope\": \"playground\", \"input\": {\"text\": \"Write a one-line summary.\"}, \"params\": {}}";
    /** What the seed's JavaScript {@code JSON.stringify} sends. */
    static final String SEED_JS_BODY =
            "{\"model\":\"demo-model\",\"mode\":\"execute\",\"scope\":\"playground\",\"input\":{\"text\":\"Write a one-line summary.\"},\"params\":{}}";

    private JsonNode usageOf(String runId) {
        JsonNode data = owner.get("/api/logs/usage?run_id=" + runId).json().path("data");
        assertThat(data.size()).as("usage records of " + runId).isEqualTo(1);
        return data.get(0);
    }

    private JsonNode attemptsOf(String runId) {
        return owner.get("/api/logs/executions?run_id=" + runId).json().path("data");
    }

    @Test
    void should_run_the_seed_examples_verbatim() {
        for (String body : List.of(SEED_CURL_BODY, SEED_PYTHON_BODY, SEED_JS_BODY)) {
            Response r = owner.post("/api/runs", body);
            assertThat(r.status()).as(r.describe()).isEqualTo(200);
            JsonNode run = r.json();
            assertThat(run.path("object").asString()).isEqualTo("run");
            assertThat(run.path("status").asString()).isEqualTo("succeeded");
            assertThat(run.path("model").asString()).isEqualTo("demo-model");
            assertThat(run.path("mode").asString()).isEqualTo("execute");
            assertThat(run.path("scope").asString()).isEqualTo("playground");
            assertThat(run.path("release").asString()).isEqualTo("1.0.0");
            assertThat(run.path("provider").asString()).isEqualTo("local");
            assertThat(run.path("output").path("text").asString()).isEqualTo("Write a one-line summary.");
            assertThat(run.path("cost").path("credits").asString()).isEqualTo("0.001000");
            assertThat(run.path("created_at").asString()).isNotBlank();
            assertThat(run.path("completed_at").asString()).isNotBlank();
            assertThat(run.path("duration_ms").isIntegralNumber()).isTrue();
            String id = run.path("id").asString();
            assertThat(owner.get("/api/runs/" + id).json().path("status").asString()).isEqualTo("succeeded");
            JsonNode usage = usageOf(id);
            assertThat(usage.path("status").asString()).isEqualTo("succeeded");
            assertThat(usage.path("credits").asString()).isEqualTo("0.001000");
            assertThat(usage.path("key_prefix").asString()).isEqualTo(OWNER_KEY.substring(0, 12));
            assertThat(attemptsOf(id)).hasSize(1);
        }
    }

    @Test
    void should_fall_back_to_the_second_route_when_the_first_answers_500() {
        int before500 = FAKE.calls("fail500");
        Response r = owner.post("/api/runs", "{\"model\":\"fallback-model\",\"input\":{\"text\":\"hi\"}}");
        assertThat(r.status()).as(r.describe()).isEqualTo(200);
        JsonNode run = r.json();
        assertThat(run.path("output").path("text").asString()).isEqualTo(FakeOpenAi.ANSWER);
        assertThat(run.path("provider").asString()).isEqualTo("fake-ok");
        assertThat(run.path("usage").path("input_tokens").asLong()).isEqualTo(12);
        assertThat(run.path("usage").path("output_tokens").asLong()).isEqualTo(5);
        // 0.01 per run + 12 tokens at 1/1k + 5 tokens at 2/1k, each part rounded up to a micro-credit
        assertThat(run.path("cost").path("credits").asString()).isEqualTo("0.032000");
        assertThat(FAKE.calls("fail500") - before500).as("first try plus two retries").isEqualTo(3);
        JsonNode attempts = attemptsOf(run.path("id").asString());
        assertThat(attempts.findValuesAsString("outcome")).containsExactly("failed", "failed", "failed", "ok");
        assertThat(attempts.findValuesAsString("provider")).containsExactly("fake-500", "fake-500", "fake-500", "fake-ok");
        assertThat(attempts.get(0).path("failure_class").asString()).isEqualTo("server_error");
        assertThat(attempts.get(0).path("http_status").asInt()).isEqualTo(500);
        assertThat(usageOf(run.path("id").asString()).path("provider").asString()).isEqualTo("fake-ok");
    }

    @Test
    void should_answer_one_provider_problem_with_every_failure_when_all_routes_fail() {
        Response r = owner.post("/api/runs", "{\"model\":\"all-fail-model\",\"input\":{\"text\":\"hi\"}}");
        JsonNode p = assertProblem(r, 502, "all_routes_failed", "provider");
        String runId = p.path("run_id").asString();
        assertThat(runId).startsWith("run_");
        assertThat(p.path("attempts").findValuesAsString("model")).contains("x-a", "x-b");
        assertThat(r.text()).doesNotContain("upstream exploded").doesNotContain("sk-test-provider-key");
        JsonNode run = owner.get("/api/runs/" + runId).json();
        assertThat(run.path("status").asString()).isEqualTo("failed");
        assertThat(run.path("error").path("code").asString()).isEqualTo("all_routes_failed");
        assertThat(run.path("cost").path("credits").asString()).isEqualTo("0.000000");
        JsonNode usage = usageOf(runId);
        assertThat(usage.path("status").asString()).isEqualTo("failed");
        assertThat(usage.path("error_code").asString()).isEqualTo("all_routes_failed");
        assertThat(usage.path("credits").asString()).isEqualTo("0.000000");
        assertThat(attemptsOf(runId).findValuesAsString("outcome")).isNotEmpty().allMatch(o -> !o.equals("ok"));
    }

    @Test
    void should_neither_retry_nor_fall_back_when_the_provider_rejects_the_request() {
        int before400 = FAKE.calls("bad400");
        int beforeOk = FAKE.calls("ok");
        Response r = owner.post("/api/runs", "{\"model\":\"rejected-model\",\"input\":{\"text\":\"hi\"}}");
        JsonNode p = assertProblem(r, 502, "provider_rejected_request", "provider");
        assertThat(FAKE.calls("bad400") - before400).isEqualTo(1);
        assertThat(FAKE.calls("ok") - beforeOk).isZero();
        assertThat(attemptsOf(p.path("run_id").asString())).hasSize(1);
    }

    @Test
    void should_fall_back_when_a_route_times_out() {
        Response r = owner.post("/api/runs", "{\"model\":\"timeout-model\",\"input\":{\"text\":\"hi\"}}");
        assertThat(r.status()).as(r.describe()).isEqualTo(200);
        assertThat(r.json().path("provider").asString()).isEqualTo("fake-ok");
        JsonNode attempts = attemptsOf(r.json().path("id").asString());
        assertThat(attempts.get(0).path("failure_class").asString()).isEqualTo("timeout");
        assertThat(attempts.findValuesAsString("outcome")).endsWith("ok");
    }

    @Test
    void should_say_when_the_release_is_deprecated() {
        // the current release (1.0.0) is deprecated: it still runs and says so
        Response old = owner.post("/api/runs", "{\"model\":\"slow-model\",\"input\":{\"text\":\"hi\"}}");
        assertThat(old.status()).as(old.describe()).isEqualTo(200);
        assertThat(old.json().path("release").asString()).isEqualTo("1.0.0");
        assertThat(old.json().path("deprecation").asString()).isEqualTo("use 2.0.0");
    }

    @Test
    void should_run_asynchronously_and_be_readable_afterwards() {
        // a model of its own: the fallback test counts calls to the failing route and its circuit breaker
        Response r = owner.post("/api/runs",
                "{\"model\":\"contract-model\",\"input\":{\"prompt\":\"later\",\"count\":1},\"options\":{\"async\":true}}");
        assertThat(r.status()).as(r.describe()).isEqualTo(202);
        String id = r.json().path("id").asString();
        assertThat(r.header("location")).isEqualTo("/api/runs/" + id);
        assertThat(r.json().path("status").asString()).isEqualTo("queued");
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .until(() -> owner.get("/api/runs/" + id).json().path("status").asString().equals("succeeded"));
        JsonNode run = owner.get("/api/runs/" + id).json();
        assertThat(run.path("output").path("text").asString()).isEqualTo(FakeOpenAi.ANSWER);
        assertThat(usageOf(id).path("status").asString()).isEqualTo("succeeded");
        assertThat(attemptsOf(id).findValuesAsString("outcome")).endsWith("ok");
    }

    @Test
    void should_return_the_structured_output_the_mode_declares() {
        Response r = owner.post("/api/runs", "{\"model\":\"structured-json\",\"input\":{\"text\":\"q\"}}");
        assertThat(r.status()).as(r.describe()).isEqualTo(200);
        assertThat(r.json().path("output").path("answer").asString()).isEqualTo("yes");
        assertThat(r.json().path("output").path("score").asInt()).isEqualTo(3);
    }

    @Test
    void should_fail_with_an_execution_problem_when_the_output_breaks_its_schema() {
        Response r = owner.post("/api/runs", "{\"model\":\"structured-badjson\",\"input\":{\"text\":\"q\"}}");
        JsonNode p = assertProblem(r, 502, "invalid_model_output", "execution");
        assertThat(owner.get("/api/runs/" + p.path("run_id").asString()).json().path("status").asString()).isEqualTo("failed");
    }

    @Test
    void should_refuse_to_cancel_a_finished_run() {
        String id = owner.post("/api/runs", SEED_JS_BODY).json().path("id").asString();
        assertProblem(owner.post("/api/runs/" + id + "/cancel", "{}"), 409, "run_not_cancelable", "invalid_request");
    }

    @Test
    void should_list_runs_filtered_by_model_and_status() {
        owner.post("/api/runs", SEED_JS_BODY);
        JsonNode list = owner.get("/api/runs?model=demo-model&status=succeeded&limit=5").json();
        assertThat(list.path("data").size()).isBetween(1, 5);
        assertThat(list.path("data").findValuesAsString("model")).allMatch("demo-model"::equals);
        assertProblem(owner.get("/api/runs?status=done"), 400, "invalid_parameter", "invalid_request");
        assertProblem(owner.get("/api/runs?limit=0"), 400, "invalid_parameter", "invalid_request");
    }

    @Test
    void should_report_usage_statistics_by_model() {
        owner.post("/api/runs", SEED_JS_BODY);
        JsonNode stats = owner.get("/api/stats/usage?interval=hour&group_by=model").json();
        assertThat(stats.path("data").findValuesAsString("model")).contains("demo-model");
        assertProblem(owner.get("/api/stats/usage?interval=week"), 400, "invalid_parameter", "invalid_request");
    }

    @Test
    void should_show_the_entry_point_and_parent_run_on_the_run_as_its_usage_row_does() {
        JsonNode run = owner.post("/api/runs", SEED_JS_BODY).json();
        JsonNode read = owner.get("/api/runs/" + run.path("id").asString()).json();
        for (JsonNode r : List.of(run, read)) {
            assertThat(r.path("entry_point").asString()).isEqualTo("rest");
            assertThat(r.has("parent_run_id")).isTrue();
            assertThat(r.path("parent_run_id").isNull()).isTrue();
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode usage = owner.get("/api/logs/usage?run_id=" + run.path("id").asString()).json().path("data").get(0);
            assertThat(usage).isNotNull();
            assertThat(usage.path("entry_point")).isEqualTo(read.path("entry_point"));
            assertThat(usage.path("parent_run_id")).isEqualTo(read.path("parent_run_id"));
        });
    }

    @Test
    void should_take_a_date_or_an_instant_on_usage_routes_and_name_the_format_otherwise() {
        // given a run made now (today is read first: the run is never before it)
        java.time.LocalDate day = java.time.LocalDate.now(java.time.ZoneOffset.UTC);
        String today = day.toString();
        String tomorrow = day.plusDays(1).toString();
        String runId = owner.post("/api/runs", SEED_JS_BODY).json().path("id").asString();

        // then a date means the start of that day in UTC, and an instant is taken as it is
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(owner.get("/api/logs/usage?run_id=" + runId
                + "&from=" + today).json().path("data").findValuesAsString("run_id")).containsExactly(runId));
        assertThat(owner.get("/api/logs/usage?run_id=" + runId + "&from=" + tomorrow).json().path("data")).isEmpty();
        assertThat(owner.get("/api/logs/usage?run_id=" + runId + "&from=" + today + "T00:00:00Z&to=" + tomorrow).json()
                .path("data").findValuesAsString("run_id")).containsExactly(runId);
        Response stats = owner.get("/api/stats/usage?interval=hour&group_by=model&from=" + today);
        assertThat(stats.status()).as(stats.describe()).isEqualTo(200);
        Response runs = owner.get("/api/runs?from=" + today + "&limit=5");
        assertThat(runs.status()).as(runs.describe()).isEqualTo(200);
        assertThat(runs.json().path("data").findValuesAsString("id")).contains(runId);

        // and neither names both formats
        for (String bad : List.of("2026-13-01", "yesterday", "2026-12-01T25:00:00Z")) {
            JsonNode p = assertProblem(owner.get("/api/logs/usage?from=" + bad), 400, "invalid_parameter", "invalid_request");
            assertThat(p.path("detail").asString()).as(bad).contains("2026-12-01").contains("2026-12-01T08:30:00Z");
            assertThat(p.path("errors").get(0).path("path").asString()).isEqualTo("from");
        }
        assertThat(assertProblem(owner.get("/api/billing/usage/summary?to=12/01/2026"), 400, "invalid_parameter",
                "invalid_request").path("detail").asString()).contains("a date (2026-12-01");
    }
}
