package io.aimp.gateway.runs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.aimp.gateway.support.FakeOpenAi;
import io.aimp.gateway.support.GatewayClient;
import io.aimp.gateway.support.GatewayProcess;
import io.aimp.gateway.support.TestSecrets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Kill -9 of the gateway process during a load of asynchronous and synchronous runs, then a restart
 * on the same data directory: no run is left running or queued, every run — above all every run
 * that was answered 2xx — has exactly one usage record, every succeeded run exactly one ledger charge,
 * no reservation is stranded, and the ledger adds up: starting balance − balance = charges.
 */
class RunCrashIT {

    private static final String KEY = TestSecrets.apiKey();

    @Test
    void should_leave_no_run_running_and_no_answered_run_without_usage_after_a_kill() throws Exception {
        Path data = TestSecrets.tempDir("aimp-crash-");
        Path catalog = Files.createDirectories(data.resolve("catalog"));
        Files.writeString(catalog.resolve("crash.yaml"), """
                slug: crash-model
                name: Crash
                kind: text
                description: answers after 100 ms
                visibility: public
                modes:
                  execute:
                    input: {type: object, required: [text], properties: {text: {type: string}}}
                releases:
                  - version: 1.0.0
                    routes: [{provider: fake, model: f, timeout_ms: 5000}]
                    pricing: {per_run: 0.001}
                text: {prompt: "{{input.text}}"}
                """);
        try (FakeOpenAi fake = new FakeOpenAi();
             GatewayProcess gateway = new GatewayProcess(data.resolve("gw"), Map.of(
                     "AIMP_BOOTSTRAP_API_KEY", KEY,
                     "AIMP_CATALOG_DIR", catalog.toString(),
                     "AIMP_PROVIDERS_FAKE_TYPE", "openai",
                     "AIMP_PROVIDERS_FAKE_BASE_URL", fake.baseUrl("delay100"),
                     "AIMP_RUNS_ASYNC_WORKERS", "8",
                     "AIMP_STARTING_CREDITS", "100",
                     "AIMP_HTTP_ACCESS_LOG", "false"))) {
            Files.createDirectories(gateway.dataDir());
            long t0 = System.nanoTime();
            gateway.start();
            log(t0, "started");
            GatewayClient client = new GatewayClient(gateway.port()).withKey(KEY);
            Set<String> accepted = ConcurrentHashMap.newKeySet();
            Set<String> answeredOk = ConcurrentHashMap.newKeySet();
            ExecutorService load = Executors.newFixedThreadPool(8);
            for (int i = 0; i < 8; i++) {
                int worker = i;
                load.submit(() -> {
                    for (int n = 0; n < 60; n++) {
                        try {
                            boolean async = (n + worker) % 2 == 0;
                            GatewayClient.Response r = client.post("/api/runs", "{\"model\":\"crash-model\",\"input\":{\"text\":\"n"
                                    + n + "\"}" + (async ? ",\"options\":{\"async\":true}" : "") + "}");
                            if (r.status() == 202) {
                                accepted.add(r.json().path("id").asString());
                            } else if (r.status() == 200) {
                                answeredOk.add(r.json().path("id").asString());
                            }
                        } catch (RuntimeException e) {
                            return; // the gateway is gone
                        }
                    }
                });
            }
            // kill once the load reached what is asserted below
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(50))
                    .until(() -> accepted.size() >= 100 && answeredOk.size() >= 20);
            log(t0, "killing with " + accepted.size() + " accepted, " + answeredOk.size() + " answered");
            gateway.kill();
            load.shutdownNow();
            assertThat(load.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
            assertThat(accepted).hasSizeGreaterThanOrEqualTo(100);
            assertThat(answeredOk).hasSizeGreaterThanOrEqualTo(20);

            log(t0, "restarting");
            gateway.start();
            log(t0, "restarted");
            await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(250)).until(() -> pending(gateway) == 0);
            log(t0, "drained");
            gateway.stop();
            log(t0, "stopped");

            try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + gateway.dataDir().resolve("gateway.db"))) {
                assertThat(count(db, "select count(*) from runs where status in ('RUNNING', 'QUEUED')")).isZero();
                assertThat(count(db, """
                        select count(*) from runs r
                        where (select count(*) from usage_records u where u.run_id = r.id) <> 1""")).isZero();
                List<String> known = ids(db);
                assertThat(known).containsAll(accepted).containsAll(answeredOk);
                for (String id : answeredOk) {
                    assertThat(count(db, "select count(*) from runs where status = 'SUCCEEDED' and id = '" + id + "'"))
                            .as("a run answered 200 is succeeded: " + id).isEqualTo(1);
                }
                assertThat(count(db, "select count(*) from runs where status = 'SUCCEEDED' and cost_micros <> 1000")).isZero();
                // money: one charge per succeeded run, none for the others, nothing held, and the sums agree
                assertThat(count(db, """
                        select count(*) from runs r where r.status = 'SUCCEEDED'
                        and (select count(*) from ledger_entries l where l.run_id = r.id and l.kind = 'charge') <> 1"""))
                        .isZero();
                assertThat(count(db, """
                        select count(*) from ledger_entries l where l.kind = 'charge'
                        and not exists (select 1 from runs r where r.id = l.run_id and r.status = 'SUCCEEDED')"""))
                        .isZero();
                assertThat(count(db, "select count(*) from wallet_holds")).isZero();
                assertThat(count(db, "select coalesce(sum(reserved), 0) from wallets")).isZero();
                long balance = count(db, "select sum(balance) from wallets");
                long ledgerSum = count(db, "select sum(amount) from ledger_entries");
                long charges = -count(db, "select coalesce(sum(amount), 0) from ledger_entries where kind = 'charge'");
                assertThat(ledgerSum).isEqualTo(balance);
                assertThat(100_000_000L - balance).isEqualTo(charges);
                assertThat(charges).isEqualTo(count(db, "select sum(cost_micros) from runs where status = 'SUCCEEDED'"));
            }
        }
    }

    private static void log(long t0, String what) {
        System.out.printf("crash test +%d ms: %s%n", (System.nanoTime() - t0) / 1_000_000, what);
    }

    private static long pending(GatewayProcess gateway) throws Exception {
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + gateway.dataDir().resolve("gateway.db"))) {
            return count(db, "select count(*) from runs where status in ('RUNNING', 'QUEUED')");
        }
    }

    private static long count(Connection db, String sql) throws Exception {
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static List<String> ids(Connection db) throws Exception {
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("select id from runs")) {
            List<String> out = new java.util.ArrayList<>();
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out;
        }
    }
}
