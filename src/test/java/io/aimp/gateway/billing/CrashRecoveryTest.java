package io.aimp.gateway.billing;

import static org.assertj.core.api.Assertions.assertThat;

import io.aimp.gateway.Application;
import io.aimp.gateway.billing.GatewayHarness.Client;
import io.aimp.gateway.billing.GatewayHarness.Response;
import io.aimp.gateway.storage.Database;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A process that died leaves a wallet reservation and an idempotency claim behind (simulated by
 * writing them between two starts); the next start releases both, and a retry with the key executes
 * exactly once.
 */
class CrashRecoveryTest {

    static final String KEY = "retry-after-crash";
    static final String BODY = "{\"model\":\"paid-summary\",\"input\":{\"text\":\"Recovered work. It runs once.\"}}";

    @Test
    void should_release_stranded_reservations_and_claims_on_start_with_sqlite() throws Exception {
        recover(new HashMap<>(), true);
    }

    @Test
    @EnabledIfEnvironmentVariable(named = PgTestSchemas.ENV, matches = ".+")
    void should_release_expired_reservations_and_claims_on_start_with_postgresql() throws Exception {
        Map<String, String> props = new HashMap<>();
        props.put("aimp.database-url", PgTestSchemas.freshSchemaUrl());
        recover(props, false);
    }

    private void recover(Map<String, String> extra, boolean oneNode) throws Exception {
        Map<String, Object> props = new HashMap<>(GatewayHarness.properties(Files.createTempDirectory("aimp-crash")));
        props.putAll(extra);
        props.put("server.port", "0");
        props.put("server.address", "127.0.0.1");
        String ws;

        // given a first start (it grants the starting credits) and a process that died mid-run
        try (ConfigurableApplicationContext first = start(props)) {
            Client client = new Client(port(first));
            Response wallet = client.get(GatewayHarness.BOOTSTRAP_KEY, "/api/billing/wallet");
            assertThat(wallet.json().get("balance").asString()).isEqualTo("100.000000");
            Database db = first.getBean(Database.class);
            ws = db.jdbc().sql("select workspace_id from wallets").query(String.class).single();
        }
        try (ConfigurableApplicationContext offline = start(props, "spring.main.web-application-type", "none",
                "spring.main.lazy-initialization", "true")) {
            Database db = offline.getBean(Database.class);
            long now = System.currentTimeMillis();
            // an expired lease is stranded on every dialect; on SQLite even a live-looking one is
            strand(db, ws, "run_dead1", 400_000, now - 1000, "proc_dead", KEY, now);
            if (oneNode) {
                strand(db, ws, "run_dead2", 100_000, now + 3_600_000, "proc_dead2", "other-key", now);
            }
        }

        // when the gateway starts again
        try (ConfigurableApplicationContext second = start(props)) {
            Database db = second.getBean(Database.class);
            Client client = new Client(port(second));

            // then nothing is reserved any more and the claims are gone
            assertThat(db.jdbc().sql("select reserved from wallets where workspace_id = ?").param(ws).query(Long.class).single())
                    .isZero();
            assertThat(db.jdbc().sql("select count(*) from wallet_holds").query(Long.class).single()).isZero();
            assertThat(db.jdbc().sql("select count(*) from idempotency_keys where state = 'IN_FLIGHT'").query(Long.class).single())
                    .isZero();

            // and the retry executes exactly once
            Map<String, String> h = Map.of("Idempotency-Key", KEY);
            Response retry = client.send("POST", "/api/runs", GatewayHarness.BOOTSTRAP_KEY, null, BODY, h);
            assertThat(retry.status()).as(retry.describe()).isEqualTo(200);
            Response again = client.send("POST", "/api/runs", GatewayHarness.BOOTSTRAP_KEY, null, BODY, h);
            assertThat(again.json().get("id").asString()).isEqualTo(retry.json().get("id").asString());
            assertThat(client.get(GatewayHarness.BOOTSTRAP_KEY, "/api/billing/wallet").json().get("available").asString())
                    .isEqualTo("99.630000");
        }
    }

    private static void strand(Database db, String ws, String runId, long amount, long leaseUntil, String owner, String key,
                               long now) {
        db.inTransaction(() -> {
            db.jdbc().sql("update wallets set reserved = reserved + ? where workspace_id = ?").params(amount, ws).update();
            db.jdbc().sql("insert into wallet_holds (run_id, workspace_id, amount, lease_until, created_at) values (?, ?, ?, ?, ?)")
                    .params(runId, ws, amount, leaseUntil, now - 5000).update();
            db.jdbc().sql("""
                            insert into idempotency_keys (workspace_id, idem_key, body_hash, state, owner, lease_until, created_at)
                            values (?, ?, 'abc', 'IN_FLIGHT', ?, ?, ?)""")
                    .params(ws, key, owner, leaseUntil, now - 5000).update();
        });
    }

    private static ConfigurableApplicationContext start(Map<String, Object> props, String... more) {
        Map<String, Object> all = new HashMap<>(props);
        for (int i = 0; i < more.length; i += 2) {
            all.put(more[i], more[i + 1]);
        }
        // as command-line arguments: they outrank application.yml (plain builder properties do not)
        return new SpringApplicationBuilder(Application.class).run(all.entrySet().stream()
                .map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new));
    }

    private static int port(ConfigurableApplicationContext ctx) {
        return Integer.parseInt(ctx.getEnvironment().getProperty("local.server.port"));
    }
}
