package io.aimp.gateway.jobs;

import static io.aimp.gateway.support.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.aimp.gateway.storage.Database;
import io.aimp.gateway.support.BlocksHttpTest;
import io.aimp.gateway.support.CheckedAgainstOpenApi;
import io.aimp.gateway.support.GatewayClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

@CheckedAgainstOpenApi
class JobsHttpTest extends BlocksHttpTest {

    @Autowired
    Database db;

    @Test
    void should_not_keep_the_input_of_a_succeeded_item_when_the_job_does_not_persist_and_keep_a_failed_ones() {
        FAKE.failMarked(true);
        List<Map<String, Object>> items = List.of(Map.of("text", "secret 0"), Map.of("text", "secret 1 fail-me"),
                Map.of("text", "secret 2"));

        GatewayClient.Response created = owner.post("/api/jobs", Map.of("model", "bulk-model", "items", items,
                "options", Map.of("persist", false)));
        assertThat(created.status()).as(created.describe()).isEqualTo(202);
        String id = created.get("id");
        JsonNode job = awaitFinished(owner, id);

        assertThat(job.path("counts").path("succeeded").asInt()).isEqualTo(2);
        List<String> inputs = db.jdbc().sql("select input from job_items where job_id = ? order by idx").param(id)
                .query(String.class).list();
        assertThat(inputs.get(0)).isEqualTo("null");
        assertThat(inputs.get(1)).contains("secret 1");
        assertThat(inputs.get(2)).isEqualTo("null");
    }

    @Test
    void should_fail_only_the_marked_items_and_retry_only_those_on_resume() {
        // given 200 items of which 17 and 101 make the provider fail
        FAKE.failMarked(true);
        List<Map<String, Object>> items = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            items.add(Map.of("text", i == 17 || i == 101 ? "item " + i + " fail-me" : "item " + i));
        }
        // when
        GatewayClient.Response created = owner.post("/api/jobs", Map.of("model", "bulk-model", "items", items));
        assertThat(created.status()).as(created.describe()).isEqualTo(202);
        String id = created.get("id");
        assertThat(created.header("Location")).isEqualTo("/api/jobs/" + id);
        JsonNode job = awaitFinished(owner, id);
        // then
        assertThat(job.path("counts").path("succeeded").asInt()).isEqualTo(198);
        assertThat(job.path("counts").path("failed").asInt()).isEqualTo(2);
        assertThat(job.path("status").asString()).isEqualTo("completed_with_errors");
        assertThat(job.path("progress").asDouble()).isEqualTo(1.0);
        JsonNode failed = owner.get("/api/jobs/" + id + "/items?status=failed").json();
        assertThat(failed.path("data").findValues("index").stream().map(JsonNode::asInt).toList()).containsExactly(17, 101);
        for (JsonNode item : failed.path("data")) {
            assertThat(item.path("error").path("category").asString()).isEqualTo("provider");
            assertThat(item.path("error").path("detail").asString()).isNotBlank();
            assertThat(item.path("run_id").asString()).startsWith("run_");
        }
        JsonNode page = owner.get("/api/jobs/" + id + "/items?limit=10&offset=20").json();
        assertThat(page.path("data")).hasSize(10);
        assertThat(page.path("data").get(0).path("index").asInt()).isEqualTo(20);
        assertThat(page.path("data").get(0).path("output").path("text").asString()).isNotBlank();
        assertThat(page.path("total").asInt()).isEqualTo(200);

        // when the provider recovers and the job is resumed
        FAKE.failMarked(false);
        int callsBefore = FAKE.calls("flaky");
        GatewayClient.Response resumed = owner.post("/api/jobs/" + id + "/resume", Map.of());
        assertThat(resumed.status()).as(resumed.describe()).isEqualTo(200);
        job = awaitFinished(owner, id);
        // then only the two failed items ran again
        assertThat(job.path("counts").path("succeeded").asInt()).isEqualTo(200);
        assertThat(job.path("status").asString()).isEqualTo("completed");
        assertThat(FAKE.calls("flaky") - callsBefore).isEqualTo(2);
        FAKE.failMarked(true);
    }

    @Test
    void should_create_one_job_when_a_create_is_retried_with_its_idempotency_key() {
        // given one key and one job body
        GatewayClient keyed = owner.withHeader("Idempotency-Key", "nightly-batch-" + System.nanoTime());
        Map<String, Object> body = Map.of("model", "bulk-model", "items", List.of(Map.of("text", "a"), Map.of("text", "b")));

        // when the create is sent twice
        GatewayClient.Response first = keyed.post("/api/jobs", body);
        GatewayClient.Response again = keyed.post("/api/jobs", body);

        // then the retry answers the first job again
        assertThat(first.status()).as(first.describe()).isEqualTo(202);
        assertThat(first.header("Idempotent-Replayed")).isNull();
        assertThat(again.status()).as(again.describe()).isEqualTo(202);
        assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(again.get("id")).isEqualTo(first.get("id"));
        assertThat(again.header("Location")).isEqualTo("/api/jobs/" + first.get("id"));
        awaitFinished(owner, first.get("id"));

        // and another body with the key is refused
        JsonNode problem = assertProblem(keyed.post("/api/jobs", Map.of("model", "bulk-model", "items", List.of(Map.of("text", "c")))),
                422, "idempotency_key_mismatch", "invalid_request");
        assertThat(problem.path("errors").get(0).path("path").asString()).isEqualTo("Idempotency-Key");

        // and a malformed key is refused before anything is created
        assertProblem(owner.withHeader("Idempotency-Key", "k".repeat(256)).post("/api/jobs", body), 400,
                "invalid_idempotency_key", "invalid_request");
    }

    @Test
    void should_report_failed_when_every_item_failed_and_list_jobs_newest_first() {
        // given a job whose every item makes the provider fail
        FAKE.failMarked(true);
        GatewayClient.Response created = owner.post("/api/jobs", Map.of("model", "bulk-model",
                "items", List.of(Map.of("text", "one fail-me"), Map.of("text", "two fail-me"))));
        assertThat(created.status()).as(created.describe()).isEqualTo(202);
        GatewayClient.Response later = owner.post("/api/jobs", Map.of("model", "bulk-model", "items", List.of(Map.of("text", "ok"))));
        assertThat(later.status()).as(later.describe()).isEqualTo(202);

        // when they finish
        JsonNode job = awaitFinished(owner, created.get("id"));
        awaitFinished(owner, later.get("id"));

        // then the first failed as a whole, and the list pages through the jobs newest first
        assertThat(job.path("status").asString()).isEqualTo("failed");
        assertThat(job.path("counts").path("failed").asInt()).isEqualTo(2);
        GatewayClient.Response list = owner.get("/api/jobs?limit=2");
        assertThat(list.status()).as(list.describe()).isEqualTo(200);
        assertThat(list.json().path("object").asString()).isEqualTo("list");
        assertThat(list.json().path("limit").asInt()).isEqualTo(2);
        assertThat(list.json().path("data").findValues("id").stream().map(JsonNode::asString).toList())
                .containsExactly(later.get("id"), created.get("id"));
        JsonNode failedOnly = owner.get("/api/jobs?status=failed&limit=200").json();
        assertThat(failedOnly.path("data").findValues("id").stream().map(JsonNode::asString).toList())
                .contains(created.get("id")).doesNotContain(later.get("id"));
        assertThat(failedOnly.path("data").findValues("status").stream().map(JsonNode::asString).distinct().toList())
                .containsExactly("failed");
        JsonNode second = owner.get("/api/jobs?limit=1&offset=1").json();
        assertThat(second.path("data").get(0).path("id").asString()).isEqualTo(created.get("id"));
        assertProblem(owner.get("/api/jobs?status=done"), 400, "invalid_parameter", "invalid_request");
        assertProblem(owner.get("/api/jobs?limit=0"), 400, "invalid_parameter", "invalid_request");
    }

    @Test
    void should_refuse_a_job_whose_items_break_the_contract_naming_each_item_and_queue_nothing() {
        int calls = FAKE.calls("flaky");
        GatewayClient.Response r = owner.post("/api/jobs", Map.of("model", "bulk-model",
                "items", List.of(Map.of("text", "fine"), Map.of("txt", "typo"), Map.of("text", 5))));
        JsonNode problem = assertProblem(r, 400, "invalid_items", "invalid_request");
        assertThat(problem.path("detail").asString()).contains("2 of 3 items").contains("bulk-model/execute");
        List<String> paths = problem.path("errors").findValues("path").stream().map(JsonNode::asString).toList();
        assertThat(paths).anyMatch(p -> p.startsWith("$.items[1]")).anyMatch(p -> p.startsWith("$.items[2].text"))
                .noneMatch(p -> p.startsWith("$.items[0]")).noneMatch(p -> p.contains("$.input"));
        assertThat(FAKE.calls("flaky")).isEqualTo(calls);
    }

    @Test
    void should_refuse_a_job_over_the_item_cap_naming_the_cap() {
        List<Map<String, Object>> items = new ArrayList<>();
        for (int i = 0; i < 251; i++) {
            items.add(Map.of("text", "x"));
        }
        GatewayClient.Response r = owner.post("/api/jobs", Map.of("model", "bulk-model", "items", items));
        JsonNode problem = assertProblem(r, 400, "too_many_items", "invalid_request");
        assertThat(problem.path("detail").asString()).contains("250").contains("aimp.jobs.max-items");
    }

    @Test
    void should_stop_the_rest_with_insufficient_funds_when_the_wallet_runs_dry_and_keep_what_was_done() {
        // given a workspace with credits for five runs
        GatewayClient other = otherWorkspace();
        GatewayClient.Response topUp = other.post("/api/billing/wallet/credits", Map.of("amount", "0.05", "reason", "test"));
        assertThat(topUp.status()).as(topUp.describe()).isEqualTo(200);
        List<Map<String, Object>> items = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            items.add(Map.of("text", "paid " + i));
        }
        // when
        GatewayClient.Response created = other.post("/api/jobs", Map.of("model", "bulk-model", "items", items));
        assertThat(created.status()).as(created.describe()).isEqualTo(202);
        JsonNode job = awaitFinished(other, created.get("id"));
        // then
        assertThat(job.path("counts").path("succeeded").asInt()).isEqualTo(5);
        assertThat(job.path("counts").path("failed").asInt()).isEqualTo(15);
        assertThat(job.path("status").asString()).isEqualTo("completed_with_errors");
        JsonNode failed = other.get("/api/jobs/" + created.get("id") + "/items?status=failed&limit=50").json();
        assertThat(failed.path("data").findValues("code").stream().map(JsonNode::asString).distinct().toList())
                .containsExactly("insufficient_funds");
        JsonNode done = other.get("/api/jobs/" + created.get("id") + "/items?status=succeeded").json();
        assertThat(done.path("data").findValues("run_id")).hasSize(5);
        assertThat(other.get("/api/billing/wallet").json().toString()).contains("\"balance\":\"0");
    }

    @Test
    void should_refuse_unknown_models_and_non_object_items() {
        assertProblem(owner.post("/api/jobs", Map.of("model", "no-such-model", "items", List.of(Map.of()))), 404,
                "model_not_found", "invalid_request");
        assertProblem(owner.post("/api/jobs", Map.of("model", "bulk-model", "items", List.of("text"))), 400,
                "item_not_object", "invalid_request");
        assertProblem(owner.post("/api/jobs", Map.of("model", "bulk-model", "items", List.of(Map.of("text", "a")),
                "options", Map.of("async", true))), 400, "unknown_option", "invalid_request");
    }

    static JsonNode awaitFinished(GatewayClient client, String id) {
        JsonNode[] last = {null};
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100)).until(() -> {
            last[0] = client.get("/api/jobs/" + id).json();
            return !"running".equals(last[0].path("status").asString());
        });
        return last[0];
    }
}
