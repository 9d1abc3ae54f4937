package io.aimp.gateway.jobs;

import io.aimp.gateway.support.CheckedAgainstOpenApi;
import static io.aimp.gateway.support.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.aimp.gateway.support.GatedHttpTest;
import io.aimp.gateway.support.GatewayClient;
import io.aimp.gateway.support.TestAccounts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Bulk items execute as the job's submitter is now, and the cap of running jobs holds under concurrent requests. */
@CheckedAgainstOpenApi
class JobAccessHttpTest extends GatedHttpTest {

    private static final int WORKERS = 4; // aimp.jobs.workers of GatedHttpTest

    @Test
    void should_fail_the_remaining_items_with_principal_revoked_when_the_key_is_revoked_mid_job() {
        // given a job of 12 items whose first items are held at the provider
        Tenant t = tenant("1");
        TestAccounts.Key key = t.accounts().key("developer");
        GatewayClient client = anonymous.withKey(key.secret());
        GATED.hold("gated");
        List<Map<String, Object>> items = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            items.add(Map.of("text", "item " + i));
        }
        GatewayClient.Response created = client.post("/api/jobs", Map.of("model", "gated-text", "items", items));
        assertThat(created.status()).as(created.describe()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(30)).until(() -> GATED.waiting("gated") >= 1);
        // when the key is revoked and the held items answer
        GatewayClient.Response revoked = t.owner().delete("/api/keys/" + key.id());
        assertThat(revoked.status()).as(revoked.describe()).isEqualTo(200);
        GATED.open("gated");
        JsonNode job = JobsHttpTest.awaitFinished(t.owner(), created.get("id"));
        // then only items that had started before the revocation ran; every other one failed unrun and unpaid
        int succeeded = job.path("counts").path("succeeded").asInt();
        int failed = job.path("counts").path("failed").asInt();
        assertThat(succeeded).as(job.toString()).isBetween(1, WORKERS);
        assertThat(failed).as(job.toString()).isEqualTo(12 - succeeded);
        JsonNode failedItems = t.owner().get("/api/jobs/" + created.get("id") + "/items?status=failed&limit=50").json();
        assertThat(failedItems.path("data")).hasSize(failed);
        for (JsonNode item : failedItems.path("data")) {
            assertThat(item.path("error").path("code").asString()).as(item.toString()).isEqualTo("principal_revoked");
            assertThat(item.path("error").path("category").asString()).isEqualTo("permission");
            assertThat(item.path("error").path("status").asInt()).isEqualTo(403);
            assertThat(item.path("run_id").isNull()).as(item.toString()).isTrue();
        }
        assertThat(GATED.calls("gated")).isEqualTo(succeeded);
        assertThat(t.balance()).isEqualTo(String.format(java.util.Locale.ROOT, "%.6f", 1 - 0.01 * succeeded));
    }

    @Test
    void should_accept_exactly_five_of_thirty_concurrent_jobs_and_refuse_the_rest_with_a_limit_problem() throws Exception {
        // given a fresh workspace, a cap of 5 running jobs, and items that stay at the provider
        Tenant t = tenant("1");
        GATED.hold("cap");
        CountDownLatch go = new CountDownLatch(1);
        List<Future<GatewayClient.Response>> answers = new ArrayList<>();
        // when 30 jobs are posted at the same moment
        try (ExecutorService pool = Executors.newFixedThreadPool(30)) {
            for (int i = 0; i < 30; i++) {
                Map<String, Object> body = Map.of("model", "cap-text", "items", List.of(Map.of("text", "job " + i)));
                answers.add(pool.submit(() -> {
                    go.await();
                    return t.owner().post("/api/jobs", body);
                }));
            }
            go.countDown();
            List<String> accepted = new ArrayList<>();
            for (Future<GatewayClient.Response> f : answers) {
                GatewayClient.Response r = f.get(60, TimeUnit.SECONDS);
                if (r.status() == 202) {
                    accepted.add(r.get("id"));
                } else {
                    JsonNode problem = assertProblem(r, 429, "too_many_jobs", "limit");
                    assertThat(problem.path("max_in_flight").asInt()).isEqualTo(5);
                    assertThat(r.header("Retry-After")).isNotBlank();
                }
            }
            // then exactly five were accepted, and only their items reached the provider and were paid for
            assertThat(accepted).hasSize(5);
            GATED.open("cap");
            for (String id : accepted) {
                assertThat(JobsHttpTest.awaitFinished(t.owner(), id).path("counts").path("succeeded").asInt()).isEqualTo(1);
            }
        }
        assertThat(GATED.calls("cap")).isEqualTo(5);
        assertThat(t.balance()).isEqualTo("0.950000");
    }
}
