package io.aimp.gateway.playground;

import static io.aimp.gateway.playground.PlaygroundCatalog.PROVIDER;
import static io.aimp.gateway.support.ProblemAssert.assertProblem;
import static io.aimp.gateway.support.ScriptedOpenAi.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.aimp.gateway.common.Money;
import io.aimp.gateway.support.CheckedAgainstOpenApi;
import io.aimp.gateway.support.GatewayClient;
import io.aimp.gateway.support.GatewayClient.Response;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Evaluation suites in the background: 202 and a location to poll, on the bulk job machinery and its caps. */
@CheckedAgainstOpenApi
class PlaygroundAsyncHttpTest extends PlaygroundHttpBase {

    private static final List<Map<String, Object>> CASES = List.of(
            Map.of("name", "summarizes", "input", Map.of("text", "The bakery opens at six."),
                    "expect", Map.of("contains", "summary")),
            Map.of("name", "counts", "input", Map.of("text", "Count to three."),
                    "expect", Map.of("regex", "1\\D+2\\D+3")),
            Map.of("name", "is short", "input", Map.of("text", "Be short."),
                    "expect", Map.of("max_cost", "0.05", "not_contains", "sorry")));

    private static Map<String, Object> suite(boolean async) {
        return Map.of("targets", List.of(Map.of("model", "pg-alpha"), Map.of("model", "pg-beta")), "cases", CASES,
                "options", Map.of("async", async));
    }

    /** Each case on each target, in the order the suite runs them (case by case, target by target). */
    private static void script() {
        PROVIDER.script("pg-a", text("A short summary.", 20, 10), text("one, two, three", 20, 10), text("sorry", 20, 10));
        PROVIDER.script("pg-b", text("Beta's summary.", 30, 5), text("1, 2, 3", 30, 5), text("Short.", 30, 5));
    }

    /** The report without what differs from run to run: the run ids and latencies. */
    private static JsonNode comparable(JsonNode report) {
        JsonNode copy = report.deepCopy();
        copy.path("results").forEach(r -> {
            ((ObjectNode) r).remove("run_id");
            ((ObjectNode) r).remove("latency_ms");
        });
        return copy;
    }

    @Test
    void should_queue_a_suite_answer_202_and_report_when_done_what_the_synchronous_call_reports() {
        // given: the synchronous report of the suite
        Workspace ws = newWorkspace("100");
        script();
        Response sync = ws.owner().post("/api/playground/evaluations", suite(false));
        assertThat(sync.status()).as(sync.describe()).isEqualTo(200);
        sync.json().path("results").forEach(x -> assertThat(x.path("status").asString()).isEqualTo("ran"));

        // when: the same suite is sent async
        script();
        Response queued = ws.owner().post("/api/playground/evaluations", suite(true));

        // then: 202 with the location to poll, the suite a job of the workspace
        assertThat(queued.status()).as(queued.describe()).isEqualTo(202);
        String id = queued.get("id");
        assertThat(id).startsWith("job_");
        assertThat(queued.header("Location")).isEqualTo("/api/playground/evaluations/" + id);
        assertThat(queued.get("location")).isEqualTo("/api/playground/evaluations/" + id);
        assertThat(queued.get("status")).isEqualTo("running");
        assertThat(count("select count(*) from jobs where id = ? and workspace_id = ? and mode = 'playground.evaluation'",
                id, ws.id())).isEqualTo(1);

        // then: polled until it is no longer running, it completed with the report the synchronous call gave
        await().atMost(Duration.ofSeconds(60)).until(() -> !"running".equals(ws.owner().get(queued.header("Location")).get("status")));
        Response done = ws.owner().get(queued.header("Location"));
        assertThat(done.status()).as(done.describe()).isEqualTo(200);
        assertThat(done.get("status")).as(done.describe()).isEqualTo("completed");
        assertThat(done.json().path("completed_at").asString()).isNotBlank();
        assertThat(done.json().path("problem").isNull()).isTrue();
        JsonNode report = done.json().path("report");
        assertThat(comparable(report)).isEqualTo(comparable(sync.json()));
        assertThat(report.path("results").findValuesAsString("run_id")).hasSize(6).doesNotHaveDuplicates()
                .doesNotContainAnyElementsOf(sync.json().path("results").findValuesAsString("run_id"));
        // the suite's runs are playground runs, charged like the synchronous ones
        assertThat(count("select count(*) from usage_records where run_id = ? and entry_point = 'playground'",
                report.path("results").get(0).path("run_id").asString())).isEqualTo(1);
        long each = Money.parseCredits(sync.json().path("total_cost").path("credits").asString());
        assertThat(each).isPositive();
        assertThat(Money.parseCredits(report.path("total_cost").path("credits").asString())).isEqualTo(each);
        assertThat(ws.owner().get("/api/billing/wallet").json().path("balance").asString())
                .isEqualTo(Money.format(Money.parseCredits("100") - 2 * each));
    }

    @Test
    void should_validate_an_async_suite_before_queueing_it_and_refuse_callers_without_the_playground() {
        // a malformed suite is refused now, with its paths, not when it runs
        Map<String, Object> bad = Map.of("targets", List.of(Map.of("model", "pg-alpha")), "cases",
                List.of(Map.of("input", Map.of("text", "x"), "expect", Map.of("regex", "("))),
                "options", Map.of("async", true, "priority", 1));
        JsonNode p = assertProblem(owner.post("/api/playground/evaluations", bad), 400, "invalid_evaluation", "invalid_request");
        assertThat(p.path("errors").findValuesAsString("path")).containsExactlyInAnyOrder("$.cases[0].expect.regex",
                "$.options.priority");
        JsonNode async = assertProblem(owner.post("/api/playground/evaluations", Map.of("targets",
                List.of(Map.of("model", "pg-alpha")), "cases", CASES, "options", Map.of("async", "yes"))), 400,
                "invalid_evaluation", "invalid_request");
        assertThat(async.path("errors").findValuesAsString("path")).containsExactly("$.options.async");

        // members and viewers may neither queue a suite nor read one
        script();
        GatewayClient developer = anonymous.withKey(accounts.key("developer").secret());
        Response queued = developer.post("/api/playground/evaluations", suite(true));
        assertThat(queued.status()).as(queued.describe()).isEqualTo(202);
        for (String role : new String[] {"member", "viewer"}) {
            GatewayClient client = anonymous.withKey(accounts.key(role).secret());
            assertProblem(client.post("/api/playground/evaluations", suite(true)), 403, "permission_denied", "permission");
            assertProblem(client.get(queued.header("Location")), 403, "permission_denied", "permission");
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> !"running".equals(developer.get(queued.header("Location")).get("status")));
        assertThat(developer.get(queued.header("Location")).get("status")).isEqualTo("completed");
        // a bulk job is not a playground suite
        assertProblem(owner.get("/api/playground/evaluations/job_unknown"), 404, "not_found", "invalid_request");
    }

    @Test
    void should_refuse_an_async_suite_when_the_workspace_is_at_its_cap_of_running_jobs() {
        // given: a workspace already running five jobs (aimp.jobs.max-in-flight-per-workspace)
        Workspace ws = newWorkspace("100");
        JdbcClient jdbc = JdbcClient.create(dataSource);
        for (int i = 0; i < 5; i++) {
            jdbc.sql("insert into jobs (id, workspace_id, model_id, model_slug, mode, params, options, status, item_count, "
                            + "principal_type, role, created_at, updated_at) values (?, ?, 'pg-alpha', 'pg-alpha', 'execute', "
                            + "'{}', '{}', 'RUNNING', 0, 'user', 'owner', 0, 0)")
                    .params("job_cap" + i + ws.id(), ws.id()).update();
        }

        // when
        Response refused = ws.owner().post("/api/playground/evaluations", suite(true));

        // then: the limit problem of bulk jobs, and nothing queued
        JsonNode p = assertProblem(refused, 429, "too_many_jobs", "limit");
        assertThat(p.path("max_in_flight").asInt()).isEqualTo(5);
        assertThat(refused.header("Retry-After")).isNotBlank();
        assertThat(count("select count(*) from jobs where workspace_id = ? and mode = 'playground.evaluation'", ws.id()))
                .isZero();
    }
}
