package io.aimp.gateway.billing;

import static org.assertj.core.api.Assertions.assertThat;

import io.aimp.gateway.billing.GatewayHarness.Response;
import io.aimp.gateway.billing.GatewayHarness.Workspace;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Money, limits and idempotency over HTTP against the real application (SQLite here; the PostgreSQL
 * variant extends this class). Each test works in its own new workspace with an exact balance.
 */
class BillingHttpTest extends HarnessHttpTest {

    // shared by the SQLite and PostgreSQL classes; daemon threads, so nothing outlives the test JVM
    static final ExecutorService POOL = Executors.newFixedThreadPool(64, r -> {
        Thread t = new Thread(r, "billing-test-client");
        t.setDaemon(true);
        return t;
    });

    static <T> List<T> concurrently(int count, java.util.function.IntFunction<T> call) throws Exception {
        List<Future<T>> futures = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int n = i;
            futures.add(POOL.submit((Callable<T>) () -> call.apply(n)));
        }
        List<T> results = new ArrayList<>();
        for (Future<T> f : futures) {
            results.add(f.get(120, TimeUnit.SECONDS));
        }
        return results;
    }

    /** Blocked requests are logged just after they are answered. */
    void awaitCount(long expected, String sql, Object... args) {
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60))
                .untilAsserted(() -> assertThat(count(sql, args)).isEqualTo(expected));
    }

    void assertLedgerMatches(String workspaceId) {
        long ledger = count("select coalesce(sum(amount), 0) from ledger_entries where workspace_id = ?", workspaceId);
        assertThat(ledger).isEqualTo(micros(workspaceId, "balance"));
        assertThat(micros(workspaceId, "reserved")).isZero();
        assertThat(count("select count(*) from wallet_holds where workspace_id = ?", workspaceId)).isZero();
    }

    @Test
    void should_admit_exactly_what_the_balance_covers_when_500_runs_race_for_it() throws Exception {
        // given 100 credits and a model at 0.37 per run
        Workspace ws = client.workspace("100");

        // when 500 runs arrive from 64 threads
        List<Response> responses = concurrently(500, i -> client.run(ws.key(), "paid-summary",
                "Run number " + i + " summarises this sentence. And this one too.", Map.of()));

        // then 270 succeed, 230 are refused for funds, and the money adds up
        assertThat(responses.stream().filter(r -> r.status() == 200).count()).isEqualTo(270);
        List<Response> refused = responses.stream().filter(r -> r.status() != 200).toList();
        assertThat(refused).hasSize(230).allSatisfy(r -> {
            assertThat(r.status()).isEqualTo(402);
            assertThat(r.json().get("code").asString()).isEqualTo("insufficient_funds");
            assertThat(r.json().get("category").asString()).isEqualTo("limit");
        });
        Response wallet = client.get(ws.key(), "/api/billing/wallet");
        assertThat(wallet.json().get("balance").asString()).isEqualTo("0.100000");
        assertThat(wallet.json().get("reserved").asString()).isEqualTo("0.000000");
        assertLedgerMatches(ws.id());
        assertThat(count("select count(*) from ledger_entries where workspace_id = ? and kind = 'charge'", ws.id())).isEqualTo(270);
        assertThat(count("select count(*) from usage_records where workspace_id = ? and status = 'succeeded'", ws.id())).isEqualTo(270);
        awaitCount(230, "select count(*) from usage_records where workspace_id = ? and status = 'blocked' "
                + "and error_code = 'insufficient_funds' and run_id is null", ws.id());
        assertThat(count("select count(*) from runs where workspace_id = ?", ws.id())).isEqualTo(270);
    }

    @Test
    void should_settle_the_actual_cost_and_release_the_rest_when_usage_varies() throws Exception {
        // given 5 credits and a per-token model whose worst case is far above its typical cost
        Workspace ws = client.workspace("5");

        // when 300 runs race
        List<Response> responses = concurrently(300, i -> client.run(ws.key(), "metered-chat",
                "Please answer briefly about topic number " + i + " in plain words.", Map.of()));

        // then nothing stays reserved, the balance never went below zero and every charge is a run's cost
        long ok = responses.stream().filter(r -> r.status() == 200).count();
        assertThat(ok).isPositive();
        assertThat(responses).allSatisfy(r -> assertThat(r.status()).as(r.describe()).isIn(200, 402));
        long balance = micros(ws.id(), "balance");
        assertThat(balance).isGreaterThanOrEqualTo(0);
        assertLedgerMatches(ws.id());
        long charged = count("select coalesce(sum(cost_micros), 0) from runs where workspace_id = ? and status = 'SUCCEEDED'", ws.id());
        assertThat(5_000_000L - balance).isEqualTo(charged);
        assertThat(count("select count(*) from ledger_entries where workspace_id = ? and kind = 'charge'", ws.id())).isEqualTo(ok);
        awaitCount(charged, "select coalesce(sum(cost_micros), 0) from usage_records where workspace_id = ?", ws.id());
    }

    @Test
    void should_execute_and_charge_once_when_100_requests_share_an_idempotency_key() throws Exception {
        // given a workspace and one key
        Workspace ws = client.workspace("10");
        Map<String, String> key = Map.of("Idempotency-Key", "order-42");

        // when 100 identical requests race
        List<Response> responses = concurrently(100, i -> client.run(ws.key(), "paid-summary",
                "The same request every time. It has two sentences.", key));

        // then one run, one charge; the others replay it or are told it is in flight
        Set<String> runIds = new HashSet<>();
        for (Response r : responses) {
            assertThat(r.status()).as(r.describe()).isIn(200, 409);
            if (r.status() == 200) {
                runIds.add(r.json().get("id").asString());
            } else {
                assertThat(r.json().get("code").asString()).isEqualTo("idempotency_key_in_use");
                assertThat(Long.parseLong(r.header("Retry-After"))).isGreaterThanOrEqualTo(1);
            }
        }
        assertThat(runIds).hasSize(1);
        assertThat(count("select count(*) from runs where workspace_id = ?", ws.id())).isEqualTo(1);
        assertThat(micros(ws.id(), "balance")).isEqualTo(10_000_000L - 370_000L);

        // and a later retry replays the same run
        Response again = client.run(ws.key(), "paid-summary", "The same request every time. It has two sentences.", key);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().get("id").asString()).isEqualTo(runIds.iterator().next());
        assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");

        // and another body with the key is refused
        Response other = client.run(ws.key(), "paid-summary", "A different request.", key);
        assertThat(other.status()).isEqualTo(422);
        assertThat(other.json().get("code").asString()).isEqualTo("idempotency_key_mismatch");

        // and another workspace's same key is independent
        Workspace ws2 = client.workspace("1");
        Response elsewhere = client.run(ws2.key(), "paid-summary", "The same request every time. It has two sentences.", key);
        assertThat(elsewhere.status()).isEqualTo(200);
        assertThat(elsewhere.json().get("id").asString()).isNotIn(runIds);
        assertThat(micros(ws.id(), "balance")).isEqualTo(10_000_000L - 370_000L);
    }

    @Test
    void should_credit_once_when_20_top_ups_share_an_idempotency_key() throws Exception {
        // given an empty wallet and one key
        Workspace ws = client.workspace("0");
        Map<String, String> key = Map.of("Idempotency-Key", "topup-7");
        Map<String, Object> body = Map.of("amount", "2.5", "reason", "invoice 7");

        // when a client retries the same top-up 20 times at once
        List<Response> responses = concurrently(20,
                i -> client.send("POST", "/api/billing/wallet/credits", ws.key(), null, body, key));

        // then the wallet is credited once; the others replay the answer or are told it is in flight
        for (Response r : responses) {
            assertThat(r.status()).as(r.describe()).isIn(200, 409);
            if (r.status() == 200) {
                assertThat(r.json().get("balance").asString()).isEqualTo("2.500000");
            } else {
                assertThat(r.json().get("code").asString()).isEqualTo("idempotency_key_in_use");
                assertThat(Long.parseLong(r.header("Retry-After"))).isGreaterThanOrEqualTo(1);
            }
        }
        assertThat(micros(ws.id(), "balance")).isEqualTo(2_500_000L);
        assertThat(count("select count(*) from ledger_entries where workspace_id = ? and kind = 'topup'", ws.id())).isEqualTo(1);

        // and a later retry replays the first answer without crediting again
        Response again = client.send("POST", "/api/billing/wallet/credits", ws.key(), null,
                Map.of("reason", "invoice 7", "amount", "2.5"), key);
        assertThat(again.status()).as(again.describe()).isEqualTo(200);
        assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(again.json().get("balance").asString()).isEqualTo("2.500000");
        assertThat(micros(ws.id(), "balance")).isEqualTo(2_500_000L);

        // and another body with the key is refused, crediting nothing
        Response other = client.send("POST", "/api/billing/wallet/credits", ws.key(), null,
                Map.of("amount", "3", "reason", "invoice 7"), key);
        assertThat(other.status()).as(other.describe()).isEqualTo(422);
        assertThat(other.json().get("code").asString()).isEqualTo("idempotency_key_mismatch");
        assertThat(other.json().get("errors").get(0).get("path").asString()).isEqualTo("Idempotency-Key");
        assertThat(micros(ws.id(), "balance")).isEqualTo(2_500_000L);

        // and the same key on a run is another key (keys are per route)
        Response run = client.run(ws.key(), "paid-summary", "Some text.", key);
        assertThat(run.json().path("code").asString()).isNotEqualTo("idempotency_key_mismatch");
        assertLedgerMatches(ws.id());
    }

    @Test
    void should_release_the_reservation_and_replay_the_problem_when_every_route_fails() {
        // given a model whose only provider refuses
        Workspace ws = client.workspace("1");
        Map<String, String> key = Map.of("Idempotency-Key", "broken-1");

        // when it runs twice with one key
        Response first = client.run(ws.key(), "broken-chat", "Anything at all.", key);
        Response replay = client.run(ws.key(), "broken-chat", "Anything at all.", key);

        // then the failure is answered twice with the same run, and nothing is charged or held
        assertThat(first.status()).as(first.describe()).isBetween(400, 599);
        String runId = first.json().get("run_id").asString();
        assertThat(replay.status()).isEqualTo(first.status());
        assertThat(replay.json().get("code").asString()).isEqualTo(first.json().get("code").asString());
        assertThat(replay.json().get("run_id").asString()).isEqualTo(runId);
        assertThat(count("select count(*) from runs where workspace_id = ?", ws.id())).isEqualTo(1);
        assertThat(micros(ws.id(), "balance")).isEqualTo(1_000_000L);
        assertLedgerMatches(ws.id());
    }

    @Test
    void should_refuse_malformed_idempotency_keys() {
        Workspace ws = client.workspace("1");

        Response tooLong = client.run(ws.key(), "paid-summary", "Some text.", Map.of("Idempotency-Key", "k".repeat(256)));

        assertThat(tooLong.status()).isEqualTo(400);
        assertThat(tooLong.json().get("code").asString()).isEqualTo("invalid_idempotency_key");
        assertThat(micros(ws.id(), "balance")).isEqualTo(1_000_000L);
    }

    @Test
    void should_admit_exactly_60_of_300_requests_with_60_per_minute() throws Exception {
        // exactness holds for any burst inside one minute window; on an idle machine the 300 take a few seconds
        // given a key limited to 60 requests per minute
        Workspace ws = client.workspace("1000");
        Response put = client.put(ws.key(), "/api/keys/" + ws.keyId() + "/limits", Map.of("requests_per_minute", 60));
        assertThat(put.status()).as(put.describe()).isEqualTo(200);

        // when 300 requests arrive at once
        long start = System.nanoTime();
        List<Response> responses = concurrently(300, i -> client.run(ws.key(), "paid-summary", "Rate test " + i + ".", Map.of()));
        assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(50));

        // then exactly 60 are admitted and every refusal says when to retry
        assertThat(responses.stream().filter(r -> r.status() == 200).count()).isEqualTo(60);
        List<Response> limited = responses.stream().filter(r -> r.status() != 200).toList();
        assertThat(limited).hasSize(240).allSatisfy(r -> {
            assertThat(r.status()).isEqualTo(429);
            assertThat(r.json().get("code").asString()).isEqualTo("rate_limited");
            assertThat(r.json().get("category").asString()).isEqualTo("limit");
            assertThat(Long.parseLong(r.header("Retry-After"))).isGreaterThanOrEqualTo(1);
            assertThat(r.header("RateLimit-Limit")).isEqualTo("60");
            assertThat(r.header("RateLimit-Remaining")).isEqualTo("0");
            assertThat(Long.parseLong(r.header("RateLimit-Reset"))).isBetween(1L, 60L);
        });
        awaitCount(240, "select count(*) from usage_records where workspace_id = ? and status = 'blocked' "
                + "and error_code = 'rate_limited'", ws.id());
        assertLedgerMatches(ws.id());
    }

    @Test
    void should_refuse_with_quota_exceeded_when_the_daily_cap_is_reached() {
        // given a daily cap of 1 credit and runs at 0.37
        Workspace ws = client.workspace("10");
        Response put = client.put(ws.key(), "/api/limits", Map.of("daily_credits", "1"));
        assertThat(put.status()).as(put.describe()).isEqualTo(200);
        assertThat(put.json().path("effective").path("daily_credits").asString()).isEqualTo("1.000000");

        // when three runs go
        assertThat(client.run(ws.key(), "paid-summary", "First.", Map.of()).status()).isEqualTo(200);
        assertThat(client.run(ws.key(), "paid-summary", "Second.", Map.of()).status()).isEqualTo(200);
        Response third = client.run(ws.key(), "paid-summary", "Third.", Map.of());

        // then the third is over the cap until the next UTC midnight
        assertThat(third.status()).isEqualTo(429);
        assertThat(third.json().get("code").asString()).isEqualTo("quota_exceeded");
        assertThat(third.json().get("reset_at").asString()).endsWith("T00:00:00Z");
        assertThat(Long.parseLong(third.header("Retry-After"))).isBetween(1L, 86_400L);
        assertThat(third.header("RateLimit-Remaining")).isEqualTo("0.260000");
        assertThat(micros(ws.id(), "balance")).isEqualTo(10_000_000L - 740_000L);
    }

    @Test
    void should_answer_402_and_run_nothing_when_the_wallet_is_exhausted() {
        Workspace ws = client.workspace("0.5");
        assertThat(client.run(ws.key(), "paid-summary", "Paid for.", Map.of()).status()).isEqualTo(200);

        Response dry = client.run(ws.key(), "paid-summary", "Not paid for.", Map.of());

        assertThat(dry.status()).isEqualTo(402);
        assertThat(dry.json().get("code").asString()).isEqualTo("insufficient_funds");
        assertThat(count("select count(*) from runs where workspace_id = ?", ws.id())).isEqualTo(1);
        assertThat(client.get(ws.key(), "/api/billing/wallet").json().get("available").asString()).isEqualTo("0.130000");
    }

    @Test
    void should_charge_an_async_run_when_the_worker_starts_it() {
        Workspace ws = client.workspace("1");
        Response queued = client.send("POST", "/api/runs", ws.key(), null, Map.of("model", "paid-summary",
                "input", Map.of("text", "Queued work. Done later."), "options", Map.of("async", true)), Map.of());
        assertThat(queued.status()).as(queued.describe()).isEqualTo(202);
        String id = queued.json().get("id").asString();

        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60)).until(() ->
                "succeeded".equals(client.get(ws.key(), "/api/runs/" + id).json().path("status").asString()));
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() -> micros(ws.id(), "balance") == 630_000L);
        assertLedgerMatches(ws.id());
    }

    @Test
    void should_show_wallet_ledger_and_usage_summary_and_refuse_bad_top_ups() {
        Workspace ws = client.workspace("2");
        client.run(ws.key(), "paid-summary", "Something to summarise.", Map.of());

        Response top = client.post(ws.key(), "/api/billing/wallet/credits", Map.of("amount", 10.5, "reason", "invoice 7"));
        assertThat(top.status()).as(top.describe()).isEqualTo(200);
        assertThat(top.json().get("balance").asString()).isEqualTo("12.130000");
        assertThat(top.json().get("currency").asString()).isEqualTo("credits");
        for (Object bad : List.of("-1", "0", "1.0000001", "abc", "9999999999999")) {
            Response r = client.post(ws.key(), "/api/billing/wallet/credits", Map.of("amount", bad, "reason", "x"));
            assertThat(r.status()).as(String.valueOf(bad)).isEqualTo(400);
            assertThat(r.json().get("code").asString()).isEqualTo("invalid_amount");
        }
        assertThat(client.post(ws.key(), "/api/billing/wallet/credits", Map.of("amount", "1")).json().get("code").asString())
                .isEqualTo("invalid_reason");

        Response admin = client.post(ws.key(), "/api/keys", Map.of("name", "admin", "role", "admin"));
        String adminKey = admin.json().get("secret").asString();
        Response notOwner = client.post(adminKey, "/api/billing/wallet/credits", Map.of("amount", "1", "reason", "x"));
        assertThat(notOwner.status()).isEqualTo(403);
        assertThat(notOwner.json().get("code").asString()).isEqualTo("permission_denied");
        Response badLimit = client.put(adminKey, "/api/limits", Map.of("requests_per_minute", 0));
        assertThat(badLimit.status()).isEqualTo(400);
        assertThat(badLimit.json().get("code").asString()).isEqualTo("invalid_limit");
        assertThat(client.put(adminKey, "/api/limits", Map.of("per_hour", 5)).json().get("code").asString())
                .isEqualTo("unknown_field");

        Response ledger = client.get(ws.key(), "/api/billing/ledger?limit=10");
        assertThat(ledger.json().get("data")).hasSize(3);
        assertThat(ledger.json().get("data").get(0).get("kind").asString()).isEqualTo("topup");
        assertThat(ledger.json().get("data").get(1).get("amount").asString()).isEqualTo("-0.370000");

        Response summary = client.get(ws.key(), "/api/billing/usage/summary?group_by=model");
        assertThat(summary.status()).as(summary.describe()).isEqualTo(200);
        assertThat(summary.json().get("data").get(0).get("model").asString()).isEqualTo("paid-summary");
        assertThat(summary.json().get("data").get(0).get("credits").asString()).isEqualTo("0.370000");
        assertThat(client.get(ws.key(), "/api/billing/usage/summary?group_by=week").status()).isEqualTo(400);
    }
}
