package io.aimp.gateway.runs;

import io.aimp.gateway.support.CheckedAgainstOpenApi;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.aimp.gateway.support.GatedHttpTest;
import io.aimp.gateway.support.GatewayClient;
import io.aimp.gateway.support.TestAccounts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Async runs execute as their submitter is when they start (DESIGN §2): the key's allowlist and role
 * are read again, a revoked key or a creator who lost the right fails the run with a permission
 * problem before anything is reserved or sent to a provider, and a concurrency slot is held while
 * the run executes.
 */
@CheckedAgainstOpenApi
class QueuedRunAccessHttpTest extends GatedHttpTest {

    @Test
    void should_refuse_a_nested_model_outside_the_key_allowlist_when_the_workflow_runs_async() {
        // given a key allowed to run only the workflow, not the model its block runs
        Tenant t = tenant("1");
        TestAccounts.Key key = t.accounts().key(Map.of("name", "flow only", "role", "developer", "models", List.of("gated-flow")));
        GatewayClient client = anonymous.withKey(key.secret());
        String before = t.balance();
        // when
        String runId = submitAsync(client, "gated-flow", Map.of("topic", "anything"));
        JsonNode run = awaitRunEnd(client, runId);
        // then the nested run was refused, nothing reached the nested model's provider, nothing was charged
        assertThat(run.path("status").asString()).as(run.toString()).isEqualTo("failed");
        assertThat(run.path("error").path("code").asString()).as(run.toString()).isEqualTo("block_failed");
        assertThat(run.path("error").path("block_error").path("code").asString()).isEqualTo("model_not_allowed");
        assertThat(run.path("error").path("block_error").path("category").asString()).isEqualTo("permission");
        assertThat(GATED.calls("nested")).isZero();
        assertThat(t.balance()).isEqualTo(before);
    }

    @Test
    void should_fail_a_queued_run_with_principal_revoked_when_its_key_was_revoked_before_it_started() {
        // given a key's second async run waiting for the key's only slot
        Tenant t = tenant("1");
        TestAccounts.Key key = t.accounts().key("developer");
        GatewayClient client = anonymous.withKey(key.secret());
        String waiting = queueBehindAHeldRun(t, key, client);
        // when the key is revoked and the first run ends
        GatewayClient.Response revoked = t.owner().delete("/api/keys/" + key.id());
        assertThat(revoked.status()).as(revoked.describe()).isEqualTo(200);
        GATED.open("gated");
        // then
        JsonNode run = awaitRunEnd(t.owner(), waiting);
        assertRefused(run, 403, "principal_revoked");
        assertOnlyTheHeldRunRanAndWasCharged(t);
    }

    @Test
    void should_fail_a_queued_run_with_permission_denied_when_the_key_creator_was_demoted_to_viewer() {
        Tenant t = tenant("1");
        TestAccounts.Member admin = t.accounts().member("admin");
        TestAccounts.Key key = keyOf(admin, "developer");
        GatewayClient client = anonymous.withKey(key.secret());
        String waiting = queueBehindAHeldRun(t, key, client);
        // when the key's creator becomes a viewer: the key now has the viewer role, which may not run models
        GatewayClient.Response demoted = t.owner().patch("/api/members/" + admin.userId(), Map.of("role", "viewer"));
        assertThat(demoted.status()).as(demoted.describe()).isEqualTo(200);
        GATED.open("gated");
        // then
        assertRefused(awaitRunEnd(t.owner(), waiting), 403, "permission_denied");
        assertOnlyTheHeldRunRanAndWasCharged(t);
    }

    @Test
    void should_fail_a_queued_run_with_principal_revoked_when_the_key_creator_left_the_workspace() {
        Tenant t = tenant("1");
        TestAccounts.Member admin = t.accounts().member("admin");
        TestAccounts.Key key = keyOf(admin, "developer");
        GatewayClient client = anonymous.withKey(key.secret());
        String waiting = queueBehindAHeldRun(t, key, client);
        // when
        GatewayClient.Response removed = t.owner().delete("/api/members/" + admin.userId());
        assertThat(removed.status()).as(removed.describe()).isEqualTo(204);
        GATED.open("gated");
        // then
        assertRefused(awaitRunEnd(t.owner(), waiting), 403, "principal_revoked");
        assertOnlyTheHeldRunRanAndWasCharged(t);
    }

    @Test
    void should_hold_the_concurrency_slot_of_async_runs_from_start_to_end_and_run_all_of_them() {
        // given a key that may run one run at a time, and a provider that takes 150 ms per call
        Tenant t = tenant("1");
        TestAccounts.Key key = t.accounts().key("developer");
        t.keyLimits(key.id(), Map.of("concurrent_runs", 1));
        GATED.delay("slow", Duration.ofMillis(150));
        GatewayClient client = anonymous.withKey(key.secret());
        // when six async runs are submitted at once
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            ids.add(submitAsync(client, "slow-text", Map.of("text", "run " + i)));
        }
        // then every one succeeds, one after the other
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100)).until(() -> ids.stream()
                .allMatch(id -> "succeeded".equals(client.get("/api/runs/" + id).json().path("status").asString())));
        assertThat(GATED.calls("slow")).isEqualTo(6);
        assertThat(GATED.maxInFlight("slow")).isEqualTo(1);
        assertThat(t.balance()).isEqualTo("0.940000");
    }

    @Test
    void should_run_the_nested_run_of_an_async_workflow_inside_the_only_slot_the_workflow_holds() {
        // given a key that may run one run at a time
        Tenant t = tenant("1");
        TestAccounts.Key key = t.accounts().key("developer");
        t.keyLimits(key.id(), Map.of("concurrent_runs", 1));
        GatewayClient client = anonymous.withKey(key.secret());
        // when its async workflow runs a nested model
        JsonNode run = awaitRunEnd(client, submitAsync(client, "gated-flow", Map.of("topic", "anything")));
        // then the nested run is not refused for the slot its own parent holds
        assertThat(run.path("status").asString()).as(run.toString()).isEqualTo("succeeded");
        assertThat(GATED.calls("nested")).isEqualTo(1);
        assertThat(t.balance()).isEqualTo("0.990000");
    }

    /**
     * Holds the provider, starts one async run of {@code key} (limited to one run at a time) and waits
     * until it is at the provider, then queues a second one, which waits for the slot. Returns the second.
     */
    private static String queueBehindAHeldRun(Tenant t, TestAccounts.Key key, GatewayClient client) {
        t.keyLimits(key.id(), Map.of("concurrent_runs", 1));
        GATED.hold("gated");
        submitAsync(client, "gated-text", Map.of("text", "first"));
        await().atMost(Duration.ofSeconds(30)).until(() -> GATED.waiting("gated") == 1);
        return submitAsync(client, "gated-text", Map.of("text", "second"));
    }

    /** A key created by {@code member}, signed in to its only workspace. */
    private TestAccounts.Key keyOf(TestAccounts.Member member, String role) {
        return new TestAccounts(anonymous.withBearer(TestAccounts.login(anonymous, member).accessToken())).key(role);
    }

    private static void assertRefused(JsonNode run, int status, String code) {
        assertThat(run.path("status").asString()).as(run.toString()).isEqualTo("failed");
        assertThat(run.path("error").path("code").asString()).as(run.toString()).isEqualTo(code);
        assertThat(run.path("error").path("category").asString()).isEqualTo("permission");
        assertThat(run.path("error").path("status").asInt()).isEqualTo(status);
        assertThat(run.path("cost").path("credits").asString()).isEqualTo("0.000000");
    }

    private static void assertOnlyTheHeldRunRanAndWasCharged(Tenant t) {
        assertThat(GATED.calls("gated")).isEqualTo(1);
        await().atMost(Duration.ofSeconds(30)).until(() -> "0.990000".equals(t.balance()));
        assertThat(GATED.calls("gated")).isEqualTo(1);
    }
}
