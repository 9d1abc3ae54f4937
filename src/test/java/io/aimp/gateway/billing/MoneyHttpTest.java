package io.aimp.gateway.billing;

import static org.assertj.core.api.Assertions.assertThat;

import io.aimp.gateway.billing.GatewayHarness.Client;
import io.aimp.gateway.billing.GatewayHarness.Response;
import io.aimp.gateway.billing.GatewayHarness.Workspace;
import io.aimp.gateway.billing.HonestProvider.Reply;
import io.aimp.gateway.catalog.Kind;
import io.aimp.gateway.catalog.Pricing;
import io.aimp.gateway.storage.Database;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The money rules of DESIGN §2 end to end, one test per defect they fix, against a provider whose
 * usage is honest: every run is charged the actual cost of the provider work it consumed at catalog
 * prices (the hold, with {@code usage_over_bound}, when the provider over-reports), the provider is
 * always sent an explicit output cap, the ledger sums to the balance and the balance never goes below
 * zero. On SQLite here; {@link MoneyPostgresHttpTest} runs the same on PostgreSQL.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class MoneyHttpTest {

    /** per run 0.01, 1.5 per 1k input tokens, 2.5 per 1k output tokens (as the catalog below says). */
    static final Pricing TOKENS = new Pricing(10_000, 1_500_000, 2_500_000, 0, 0);
    static final Pricing TOKENS_NO_RUN_PRICE = new Pricing(0, 1_500_000, 2_500_000, 0, 0);
    /** 0.001 per item, 0.1 per 1k input tokens. */
    static final Pricing EMBED = new Pricing(0, 100_000, 0, 0, 1_000);

    static final HonestProvider PROVIDER = new HonestProvider();

    @LocalServerPort
    int port;

    @Autowired
    Database db;

    Client client;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        Path dir = Files.createTempDirectory("aimp-money-test");
        Map<String, String> props = new HashMap<>(GatewayHarness.properties(dir));
        props.put("aimp.catalog-dir", catalog().toString());
        for (String name : List.of("text", "asst", "emb", "chat", "slow", "prop")) {
            props.put("aimp.providers.h" + name + ".type", "openai");
            props.put("aimp.providers.h" + name + ".base-url", PROVIDER.baseUrl(name));
        }
        props.put("aimp.router.backoff-base", "1ms");
        props.forEach((k, v) -> registry.add(k, () -> v));
    }

    @BeforeEach
    void setUp() {
        client = new Client(port);
        PROVIDER.on("text", MoneyHttpTest::honestChat);
        PROVIDER.on("chat", MoneyHttpTest::honestChat);
        PROVIDER.on("emb", (req, call) -> Reply.ok(HonestProvider.embedding(7), 7, 0));
    }

    /** Answers with as many output tokens as it was allowed, up to 4,000. */
    static Reply honestChat(JsonNode request, int call) {
        long in = HonestProvider.honestInput(request);
        long out = Math.min(4_000, request.path("max_tokens").asLong(4_000));
        return Reply.ok(HonestProvider.chat("ok", in, out), in, out);
    }

    // ---- helpers

    static long cost(Pricing p, long in, long out) {
        return Pricer.callCost(p, Kind.TEXT, in, out, 0);
    }

    /** The actual cost of what the provider answered for requests containing {@code marker}. */
    long workCost(String marker, Pricing chatPricing) {
        long total = 0;
        for (HonestProvider.Answered a : PROVIDER.answered) {
            if (!a.request().contains(marker)) {
                continue;
            }
            total += a.name().equals("emb") ? Pricer.callCost(EMBED, Kind.EMBEDDING, a.inputTokens(), 0, 1)
                    : cost(chatPricing, a.inputTokens(), a.outputTokens());
        }
        return total;
    }

    long charged(String runId) {
        return db.jdbc().sql("select coalesce(-sum(amount), 0) from ledger_entries where run_id = ?").param(runId)
                .query(Long.class).single();
    }

    long runCost(String runId) {
        return db.jdbc().sql("select cost_micros from runs where id = ?").param(runId).query(Long.class).single();
    }

    void assertBooksBalance(Workspace w) {
        long balance = db.jdbc().sql("select balance from wallets where workspace_id = ?").param(w.id())
                .query(Long.class).single();
        long reserved = db.jdbc().sql("select reserved from wallets where workspace_id = ?").param(w.id())
                .query(Long.class).single();
        long ledger = db.jdbc().sql("select coalesce(sum(amount), 0) from ledger_entries where workspace_id = ?")
                .param(w.id()).query(Long.class).single();
        assertThat(balance).isEqualTo(ledger).isNotNegative();
        assertThat(reserved).isZero();
    }

    List<String> logSteps(String runId) {
        return db.jdbc().sql("select step || ':' || name || ':' || outcome from execution_logs where run_id = ? order by seq")
                .param(runId).query(String.class).list();
    }

    Response run(Workspace w, String model, Map<String, Object> input, Map<String, Object> params, Map<String, Object> options) {
        Map<String, Object> body = new HashMap<>();
        body.put("model", model);
        if (model.equals("m-rag")) {
            body.put("mode", "chat");
        }
        body.put("input", input);
        if (params != null) {
            body.put("params", params);
        }
        if (options != null) {
            body.put("options", options);
        }
        return client.post(w.key(), "/api/runs", body);
    }

    static String runId(Response r) {
        return r.json().has("run_id") ? r.json().get("run_id").asString() : r.json().path("id").asString();
    }

    static String marker() {
        return "m-" + UUID.randomUUID();
    }

    // ---- one test per money case

    @Test
    void should_send_a_cap_of_one_and_charge_the_actual_cost_when_max_tokens_is_the_float_1_0() {
        Workspace w = client.workspace("100");
        String m = marker();

        Response r = run(w, "m-text", Map.of("text", m), Map.of("max_tokens", 1.0), null);

        if (r.status() == 400) {
            // the edge may refuse a float for an integer field: then nothing ran and nothing was charged
            assertThat(PROVIDER.requests("text")).noneMatch(q -> q.toString().contains(m));
        } else {
            assertThat(r.status()).as(r.describe()).isEqualTo(200);
            JsonNode sent = PROVIDER.requests("text").stream().filter(q -> q.toString().contains(m)).findFirst().orElseThrow();
            assertThat(sent.path("max_tokens").asInt()).isEqualTo(1);
            assertThat(charged(runId(r))).isEqualTo(TOKENS.perRunMicros() + workCost(m, TOKENS)).isEqualTo(runCost(runId(r)));
        }
        assertBooksBalance(w);
    }

    @Test
    void should_send_the_release_cap_when_params_ask_for_more_or_nothing() {
        Workspace w = client.workspace("100");
        String m1 = marker();
        String m2 = marker();

        Response none = run(w, "m-capped", Map.of("text", m1), null, null);
        Response more = run(w, "m-capped", Map.of("text", m2), Map.of("max_tokens", 5_000), null);

        assertThat(none.status()).as(none.describe()).isEqualTo(200);
        assertThat(more.status()).as(more.describe()).isEqualTo(200);
        assertThat(PROVIDER.requests("text")).filteredOn(q -> q.toString().contains(m1) || q.toString().contains(m2))
                .extracting(q -> q.path("max_tokens").asInt()).containsExactly(100, 100);
        assertThat(charged(runId(none))).isEqualTo(TOKENS.perRunMicros() + workCost(m1, TOKENS));
        assertThat(charged(runId(more))).isEqualTo(TOKENS.perRunMicros() + workCost(m2, TOKENS));
        assertThat(none.json().path("usage").path("output_tokens").asLong()).isEqualTo(100);
        assertBooksBalance(w);
    }

    @Test
    void should_charge_every_step_of_an_assistant_that_resends_the_conversation() {
        Workspace w = client.workspace("100");
        String m = marker();
        PROVIDER.on("asst", (req, call) -> {
            long in = HonestProvider.honestInput(req);
            long out = Math.min(4_000, req.path("max_tokens").asLong());
            String body = call < 2 ? HonestProvider.toolCall("lookup", in, out) : HonestProvider.chat("done", in, out);
            return Reply.ok(body, in, out);
        });

        Response r = run(w, "m-assistant", Map.of("message", m), null, null);

        assertThat(r.status()).as(r.describe()).isEqualTo(200);
        List<JsonNode> sent = PROVIDER.requests("asst");
        assertThat(sent).extracting(q -> q.path("messages").size()).containsExactly(1, 3, 5);
        assertThat(sent).extracting(q -> q.path("max_tokens").asInt()).containsExactly(4096, 4096, 4096);
        long expected = workCost(m, TOKENS_NO_RUN_PRICE);
        assertThat(expected).isGreaterThan(3 * cost(TOKENS_NO_RUN_PRICE, 0, 4_000));
        assertThat(charged(runId(r))).isEqualTo(expected).isEqualTo(runCost(runId(r)));
        assertThat(r.json().path("usage").path("output_tokens").asLong()).isEqualTo(12_000);
        assertBooksBalance(w);
    }

    @Test
    void should_lower_the_cap_to_what_the_wallet_pays_for_and_end_insufficient_funds_when_it_pays_for_nothing() {
        // given: 25 credits pay for two 4,000-token steps (10 credits each) and part of a third
        Workspace w = client.workspace("25");
        String m = marker();
        PROVIDER.on("asst", (req, call) -> {
            long in = HonestProvider.honestInput(req);
            long out = Math.min(4_000, req.path("max_tokens").asLong());
            return Reply.ok(HonestProvider.toolCall("lookup", in, out), in, out);
        });

        // when
        Response r = run(w, "m-assistant", Map.of("message", m), null, null);

        // then: the third step was sent the cap the rest of the wallet pays for; the run paid for all the work
        List<Integer> caps = PROVIDER.sentCaps("asst");
        assertThat(caps).hasSizeBetween(2, 3);
        assertThat(caps.subList(0, 2)).containsExactly(4096, 4096);
        if (caps.size() == 3) {
            assertThat(caps.get(2)).isBetween(1, 4095);
        }
        assertThat(r.status()).as(r.describe()).isIn(402, 502);
        assertThat(charged(runId(r))).isEqualTo(workCost(m, TOKENS_NO_RUN_PRICE)).isLessThanOrEqualTo(25_000_000);
        assertBooksBalance(w);
    }

    @Test
    void should_charge_the_three_steps_of_an_assistant_that_reached_its_step_limit() {
        Workspace w = client.workspace("100");
        String m = marker();
        PROVIDER.on("asst", (req, call) -> {
            long in = HonestProvider.honestInput(req);
            return Reply.ok(HonestProvider.toolCall("lookup", in, 4_000), in, 4_000);
        });

        Response r = run(w, "m-assistant", Map.of("message", m), null, null);

        assertThat(r.status()).as(r.describe()).isEqualTo(502);
        assertThat(r.json().path("code").asString()).isEqualTo("step_limit_reached");
        assertThat(PROVIDER.requests("asst")).hasSize(3);
        long expected = workCost(m, TOKENS_NO_RUN_PRICE);
        assertThat(expected).isGreaterThan(3 * cost(TOKENS_NO_RUN_PRICE, 0, 4_000));
        assertThat(charged(runId(r))).isEqualTo(expected).isEqualTo(runCost(runId(r)));
        assertBooksBalance(w);
    }

    @Test
    void should_charge_the_step_done_when_the_run_times_out_in_the_next_one() {
        Workspace w = client.workspace("100");
        String m = marker();
        PROVIDER.on("asst", (req, call) -> {
            long in = HonestProvider.honestInput(req);
            if (call == 0) {
                return Reply.ok(HonestProvider.toolCall("lookup", in, 4_000), in, 4_000);
            }
            return new Reply(10_000, 200, HonestProvider.chat("late", in, 10), in, 10, false);
        });
        long start = System.nanoTime();

        Response r = run(w, "m-assistant", Map.of("message", m), null, Map.of("timeout_ms", 1_500));

        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        assertThat(r.status()).as(r.describe()).isEqualTo(504);
        assertThat(r.json().path("code").asString()).isEqualTo("run_timeout");
        assertThat(elapsedMs).isLessThan(1_500 + 1_000);
        assertThat(charged(runId(r))).isEqualTo(workCost(m, TOKENS_NO_RUN_PRICE))
                .isGreaterThanOrEqualTo(cost(TOKENS_NO_RUN_PRICE, 0, 4_000));
        assertBooksBalance(w);
    }

    @Test
    void should_meter_and_charge_the_retrieval_embedding_of_a_chat_run() {
        Workspace w = client.workspace("100");
        String m = marker();

        Response r = run(w, "m-rag", Map.of("message", m), null, null);

        assertThat(r.status()).as(r.describe()).isEqualTo(200);
        String id = runId(r);
        assertThat(logSteps(id)).contains("provider_attempt:hemb/honest-embed-model:ok", "provider_attempt:hchat/c:ok");
        long embedding = Pricer.callCost(EMBED, Kind.EMBEDDING, 7, 0, 1);
        assertThat(embedding).isPositive();
        assertThat(charged(id)).isEqualTo(TOKENS.perRunMicros() + chatWork(m) + embedding)
                .isEqualTo(TOKENS.perRunMicros() + workCost(m, TOKENS));
        assertBooksBalance(w);
    }

    private long chatWork(String marker) {
        return PROVIDER.answered.stream().filter(a -> a.name().equals("chat") && a.request().contains(marker))
                .mapToLong(a -> cost(TOKENS, a.inputTokens(), a.outputTokens())).sum();
    }

    @Test
    void should_charge_the_hold_and_log_usage_over_bound_when_the_provider_over_reports() {
        Workspace w = client.workspace("100");
        String m = marker();
        PROVIDER.on("text", (req, call) -> Reply.ok(HonestProvider.chat("too much", 5, 5_000), 5, 5_000));

        Response r = run(w, "m-capped", Map.of("text", m), null, null);

        assertThat(r.status()).as(r.describe()).isEqualTo(200);
        String id = runId(r);
        assertThat(logSteps(id)).contains("usage_over_bound:htext/t:charged_bound");
        JsonNode detail = GatewayHarness.JSON.readTree(db.jdbc()
                .sql("select detail from execution_logs where run_id = ? and step = 'usage_over_bound'").param(id)
                .query(String.class).single());
        long bound = detail.get("charged_micros").asLong();
        assertThat(bound).isLessThan(cost(TOKENS, 5, 5_000)).isGreaterThanOrEqualTo(cost(TOKENS, 5, 100));
        assertThat(charged(id)).isEqualTo(TOKENS.perRunMicros() + bound);
        assertBooksBalance(w);
    }

    @Test
    void should_answer_within_the_run_timeout_when_every_attempt_times_out_and_leave_the_breaker_closed() {
        Workspace w = client.workspace("100");
        PROVIDER.on("slow", (req, call) -> req.toString().contains("hang")
                ? new Reply(10_000, 200, HonestProvider.chat("late", 1, 1), 1, 1, false)
                : honestChat(req, call));

        long start = System.nanoTime();
        Response r = run(w, "m-slow", Map.of("text", "hang " + marker()), null, Map.of("timeout_ms", 1_500));
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;

        assertThat(r.status()).as(r.describe()).isEqualTo(504);
        assertThat(elapsedMs).isLessThan(1_500 + 1_000);
        assertThat(charged(runId(r))).isZero();

        // caller deadlines on a slow model, more than the breaker's window: the route stays closed
        for (int i = 0; i < 6; i++) {
            Response t = run(w, "m-slow", Map.of("text", "hang " + marker()), null, Map.of("timeout_ms", 300));
            assertThat(t.status()).as(t.describe()).isEqualTo(504);
        }
        String m = marker();
        Response ok = run(w, "m-slow", Map.of("text", m), null, null);
        assertThat(ok.status()).as(ok.describe()).isEqualTo(200);
        assertThat(charged(runId(ok))).isEqualTo(TOKENS.perRunMicros() + workCost(m, TOKENS));
        assertBooksBalance(w);
    }

    @Test
    void should_charge_nothing_for_a_refusal_or_a_run_whose_every_attempt_failed() {
        Workspace w = client.workspace("0");
        String m = marker();
        int before = PROVIDER.requests("text").size();

        Response refused = run(w, "m-text", Map.of("text", m), null, null);

        assertThat(refused.status()).as(refused.describe()).isEqualTo(402);
        assertThat(PROVIDER.requests("text")).hasSize(before);

        Workspace rich = client.workspace("20");
        PROVIDER.on("text", (req, call) -> new Reply(0, 500, "{\"error\":{\"message\":\"down\"}}", 0, 0, false));
        Response failed = run(rich, "m-text-down", Map.of("text", m), null, null);
        assertThat(failed.status()).as(failed.describe()).isEqualTo(502);
        assertThat(charged(runId(failed))).isZero();
        assertBooksBalance(w);
        assertBooksBalance(rich);
    }


    // ---- the property: 500 random runs

    /** One planned provider call: its outcome and the output it would produce given an unlimited cap. */
    record Step(String outcome, long plannedOut) {
    }

    /** What the provider does for one run: a step per call; the last step repeats. */
    record Plan(List<Step> steps, int toolSteps) {
    }

    static final Map<String, Plan> PLANS = new java.util.concurrent.ConcurrentHashMap<>();
    static final java.util.Set<String> FLAKED = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** Follows the plan named in the request's first user message; honest usage, never more than the cap sent. */
    static Reply planned(JsonNode request, int call) {
        String text = request.path("messages").toString();
        int at = text.indexOf("plan-");
        Plan plan = PLANS.get(text.substring(at, at + 41));
        int step = 0;
        for (JsonNode msg : request.path("messages")) {
            step += msg.path("role").asString("").equals("assistant") ? 1 : 0;
        }
        Step s = plan.steps().get(Math.min(step, plan.steps().size() - 1));
        long in = HonestProvider.honestInput(request);
        long out = Math.min(s.plannedOut(), request.path("max_tokens").asLong(Long.MAX_VALUE));
        String outcome = s.outcome().equals("flaky") && !FLAKED.add(text.substring(at, at + 41) + "#" + step) ? "ok"
                : s.outcome();
        return switch (outcome) {
            // refused: no work, no fallback, nothing held against the route
            case "fail" -> new Reply(0, 400, "{\"error\":{\"message\":\"bad\"}}", 0, 0, false);
            // a transient server error: the retry answers, and only that answer is work done
            case "flaky" -> new Reply(0, 500, "{\"error\":{\"message\":\"down\"}}", 0, 0, false);
            case "slow" -> new Reply(2_500, 200, HonestProvider.chat("late", in, out), in, out, false);
            default -> Reply.ok(step < plan.toolSteps() ? HonestProvider.toolCall("lookup", in, out)
                    : HonestProvider.chat("ok", in, out), in, out);
        };
    }

    /** One random run: which wallet, model, provider plan, params and options. */
    record RandomRun(int index, Workspace wallet, String model, String marker, List<Step> steps,
                     Map<String, Object> params, boolean timed) {
    }

    @Test
    void should_charge_every_random_run_exactly_its_consumed_work_and_never_overspend() throws Exception {
        // given: 500 runs drawn from a seeded random, over wallets of random sizes
        java.util.Random random = new java.util.Random(20_261_207L);
        PROVIDER.on("prop", MoneyHttpTest::planned);
        List<Workspace> wallets = new java.util.ArrayList<>();
        long granted = 0;
        // one wallet that runs dry at once, the others of random sizes that run dry at some point or never
        long[][] sizes = {{1_000_000, 1}, {50_000_000, 250_000_000}, {300_000_000, 1_200_000_000}, {1_000_000_000, 2_000_000_000}};
        for (long[] size : sizes) {
            long micros = size[0] + random.nextLong(size[1]);
            wallets.add(client.workspace(io.aimp.gateway.common.Money.format(micros)));
            granted += micros;
        }
        List<RandomRun> plan = new java.util.ArrayList<>();
        for (int i = 0; i < 500; i++) {
            String model = List.of("p-text", "p-capped", "p-assistant").get(random.nextInt(3));
            List<Step> steps = new java.util.ArrayList<>();
            int calls = model.equals("p-assistant") ? 1 + random.nextInt(4) : 1;
            boolean timed = random.nextInt(10) == 0;
            for (int c = 0; c < calls; c++) {
                int roll = random.nextInt(100);
                String outcome = roll < 4 ? "fail" : roll < 8 ? "flaky" : roll < 12 && timed ? "slow" : "ok";
                steps.add(new Step(outcome, random.nextLong(3_000)));
            }
            Map<String, Object> params = switch (model.equals("p-assistant") ? 0 : random.nextInt(4)) {
                case 0 -> null; // the assistant's params schema is empty
                case 1 -> Map.of("max_tokens", 1 + random.nextInt(6_000));
                case 2 -> Map.of("max_tokens", (double) (1 + random.nextInt(300)));
                default -> Map.of("max_tokens", 1 + random.nextInt(50));
            };
            String marker = "plan-" + UUID.randomUUID(); // 41 characters
            PLANS.put(marker, new Plan(steps, calls - 1));
            plan.add(new RandomRun(i, wallets.get(random.nextInt(wallets.size())), model, marker, steps, params, timed));
        }

        // when: four callers at once, so holds of the same wallet race
        Map<String, Integer> outcomes = new java.util.concurrent.ConcurrentSkipListMap<>();
        List<String> violations = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(4)) {
            List<java.util.concurrent.Future<?>> futures = new java.util.ArrayList<>();
            for (RandomRun rr : plan) {
                futures.add(pool.submit(() -> check(rr, outcomes, violations)));
            }
            for (var f : futures) {
                f.get(120, java.util.concurrent.TimeUnit.SECONDS);
            }
        }

        // then: every run was charged exactly its consumed work, and the books balance
        assertThat(violations).as("outcomes %s", outcomes).isEmpty();
        long spent = 0;
        for (Workspace w : wallets) {
            assertBooksBalance(w);
            spent += db.jdbc().sql("select coalesce(-sum(amount), 0) from ledger_entries where workspace_id = ? and kind = 'charge'")
                    .param(w.id()).query(Long.class).single();
        }
        assertThat(spent).isLessThanOrEqualTo(granted);
        // the random mix reached every branch the property is about
        assertThat(outcomes).as("outcomes").containsKeys("200 ok", "402 insufficient_funds", "502 step_limit_reached");
        assertThat(outcomes.get("200 ok")).as("outcomes %s", outcomes).isGreaterThan(200);
    }

    private void check(RandomRun rr, Map<String, Integer> outcomes, List<String> violations) {
        Map<String, Object> input = rr.model().equals("p-assistant") ? Map.of("message", rr.marker()) : Map.of("text", rr.marker());
        Response r = run(rr.wallet(), rr.model(), input, rr.params(), rr.timed() ? Map.of("timeout_ms", 800) : null);
        outcomes.merge(r.status() + " " + r.json().path("code").asString("ok"), 1, Integer::sum);
        Pricing pricing = rr.model().equals("p-assistant") ? TOKENS_NO_RUN_PRICE : TOKENS;
        long work = workCost(rr.marker(), pricing);
        long answered = PROVIDER.answered.stream().filter(a -> a.request().contains(rr.marker())).count();
        String what = "run " + rr.index() + " (" + rr.model() + " " + rr.steps() + " " + rr.params() + ") " + r.describe();
        if (!r.json().has("run_id") && !r.json().has("id")) {
            // refused before any provider call (402, or an edge that refuses integral floats): nothing ran
            if (answered != 0 || (r.status() != 402 && r.status() != 400)) {
                violations.add(what + ": refused but the provider worked");
            }
            return;
        }
        String id = runId(r);
        long expected = work + (r.status() == 200 || answered > 0 ? pricing.perRunMicros() : 0);
        if (charged(id) != expected || runCost(id) != expected) {
            violations.add(what + ": charged " + charged(id) + ", cost " + runCost(id) + ", work " + expected);
        }
    }

    // ---- the catalog

    static Path catalog() {
        try {
            Path dir = Files.createTempDirectory("aimp-money-catalog");
            String textModes = """
                    modes:
                      execute:
                        input:
                          type: object
                          required: [text]
                          additionalProperties: false
                          properties:
                            text: {type: string, minLength: 1}
                        params:
                          type: object
                          additionalProperties: false
                          properties:
                            max_tokens: {type: integer, minimum: 1, maximum: 100000}
                            temperature: {type: number, minimum: 0, maximum: 2}
                    """;
            String tokens = "pricing: {per_run: 0.01, per_1k_input_tokens: 1.5, per_1k_output_tokens: 2.5}";
            Files.writeString(dir.resolve("m-text.yaml"), """
                    slug: m-text
                    name: Metered text
                    kind: text
                    description: per token, no release cap
                    visibility: public
                    %s
                    releases:
                      - version: 1.0.0
                        routes: [{provider: htext, model: t}]
                        %s
                    text:
                      prompt: "{{input.text}}"
                    """.formatted(textModes.strip().replace("\n", "\n"), tokens));
            // its own route, so its failures never reach the breaker of the route the other tests share
            Files.writeString(dir.resolve("m-text-down.yaml"), """
                    slug: m-text-down
                    name: Metered text, failing route
                    kind: text
                    description: per token, a route whose every attempt fails in the test that uses it
                    visibility: public
                    %s
                    releases:
                      - version: 1.0.0
                        routes: [{provider: htext, model: t-down}]
                        %s
                    text:
                      prompt: "{{input.text}}"
                    """.formatted(textModes.strip(), tokens));
            Files.writeString(dir.resolve("m-capped.yaml"), """
                    slug: m-capped
                    name: Capped text
                    kind: text
                    description: per token, release cap 100
                    visibility: public
                    %s
                    releases:
                      - version: 1.0.0
                        routes: [{provider: htext, model: t}]
                        %s
                        limits: {max_tokens: 100}
                    text:
                      prompt: "{{input.text}}"
                    """.formatted(textModes.strip(), tokens));
            Files.writeString(dir.resolve("m-slow.yaml"), """
                    slug: m-slow
                    name: Slow text
                    kind: text
                    description: a slow provider with long route timeouts
                    visibility: public
                    %s
                    releases:
                      - version: 1.0.0
                        routes: [{provider: hslow, model: s, timeout_ms: 30000}, {provider: hslow, model: s2, timeout_ms: 30000}]
                        %s
                    text:
                      prompt: "{{input.text}}"
                    """.formatted(textModes.strip(), tokens));
            Files.writeString(dir.resolve("m-assistant.yaml"), """
                    slug: m-assistant
                    name: Metered assistant
                    kind: assistant
                    description: three steps at most, no tools
                    visibility: public
                    modes:
                      execute:
                        input: {type: object, required: [message], properties: {message: {type: string}}}
                    releases:
                      - version: 1.0.0
                        routes: [{provider: hasst, model: a}]
                        pricing: {per_1k_input_tokens: 1.5, per_1k_output_tokens: 2.5}
                    assistant:
                      max_steps: 3
                    """);
            Files.writeString(dir.resolve("m-embed.yaml"), """
                    slug: m-embed
                    name: Metered embeddings
                    kind: embedding
                    description: embeddings priced per item and token
                    visibility: public
                    modes:
                      search:
                        vector: true
                        input:
                          type: object
                          required: [query]
                          properties:
                            query: {type: string}
                    releases:
                      - version: 1.0.0
                        routes: [{provider: hemb, model: honest-embed-model}]
                        pricing: {per_item: 0.001, per_1k_input_tokens: 0.1}
                    embedding:
                      collection: docs
                      input: text
                      dimensions: 3
                    """);
            Files.writeString(dir.resolve("m-rag.yaml"), """
                    slug: m-rag
                    name: Metered retrieval chat
                    kind: chat
                    description: retrieval through a priced embedding model
                    visibility: public
                    modes:
                      chat:
                        input:
                          type: object
                          required: [message]
                          properties:
                            message: {type: string, minLength: 1}
                    releases:
                      - version: 1.0.0
                        routes: [{provider: hchat, model: c}]
                        %s
                    chat:
                      memory: {turns: 0}
                      retrieval: {model: m-embed, scope: docs, top_k: 2, min_score: 0.1}
                    """.formatted(tokens));
            for (String slug : List.of("p-text", "p-capped")) {
                Files.writeString(dir.resolve(slug + ".yaml"), """
                        slug: %s
                        name: Property text
                        kind: text
                        description: the property test's text model
                        visibility: public
                        %s
                        releases:
                          - version: 1.0.0
                            routes: [{provider: hprop, model: p, timeout_ms: 30000}]
                            %s
                            %s
                        text:
                          prompt: "{{input.text}}"
                        """.formatted(slug, textModes.strip().replace("\n", "\n" + " ".repeat(0)), tokens,
                        slug.equals("p-capped") ? "limits: {max_tokens: 100}" : ""));
            }
            Files.writeString(dir.resolve("p-assistant.yaml"), """
                    slug: p-assistant
                    name: Property assistant
                    kind: assistant
                    description: the property test's assistant
                    visibility: public
                    modes:
                      execute:
                        input: {type: object, required: [message], properties: {message: {type: string}}}
                    releases:
                      - version: 1.0.0
                        routes: [{provider: hprop, model: a, timeout_ms: 30000}]
                        pricing: {per_1k_input_tokens: 1.5, per_1k_output_tokens: 2.5}
                    assistant:
                      max_steps: 3
                    """);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
