package io.aimp.gateway.jobs;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Kill -9 of the gateway at random points while a bulk job runs, then a restart on the same data
 * directory each time: every item ends exactly once succeeded or failed, the wallet was charged for the
 * succeeded items only, and no run has two usage rows. 1,000 items, 20 kills, each after a random 10 to
 * 39 more items have finished (so the kills fall across the first half of the job at random points
 * within the item cycle: claim, provider call, commit).
 */
class JobCrashIT {

    private static final String KEY = TestSecrets.apiKey();
    private static final int ITEMS = 1000;
    private static final int KILLS = 20;
    private static final long PRICE_MICROS = 1000;
    private static final long STARTING_MICROS = 100_000_000;

    @Test
    void should_end_every_item_exactly_once_and_charge_each_success_once_across_kills() throws Exception {
        Path data = TestSecrets.tempDir("aimp-job-crash-");
        Path catalog = Files.createDirectories(data.resolve("catalog"));
        Files.writeString(catalog.resolve("bulk.yaml"), """
                slug: bulk-crash
                name: Bulk crash
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
        Random random = new Random();
        try (FakeOpenAi fake = new FakeOpenAi();
             GatewayProcess gateway = new GatewayProcess(data.resolve("gw"), Map.of(
                     "AIMP_BOOTSTRAP_API_KEY", KEY,
                     "AIMP_CATALOG_DIR", catalog.toString(),
                     "AIMP_PROVIDERS_FAKE_TYPE", "openai",
                     "AIMP_PROVIDERS_FAKE_BASE_URL", fake.baseUrl("delay100"),
                     "AIMP_JOBS_WORKERS", "4",
                     "AIMP_JOBS_MAX_ITEMS", Integer.toString(ITEMS),
                     "AIMP_HTTP_ACCESS_LOG", "false"))) {
            Files.createDirectories(gateway.dataDir());
            gateway.start();
            GatewayClient client = new GatewayClient(gateway.port()).withKey(KEY);
            List<Map<String, Object>> items = new ArrayList<>();
            for (int i = 0; i < ITEMS; i++) {
                items.add(Map.of("text", "item " + i));
            }
            GatewayClient.Response created = client.post("/api/jobs", Map.of("model", "bulk-crash", "items", items));
            assertThat(created.status()).as(created.describe()).isEqualTo(202);
            String jobId = created.get("id");

            for (int kill = 0; kill < KILLS; kill++) {
                long target = finished(gateway, jobId) + 10 + random.nextInt(30);
                // kill at a random point once the job made progress (it must make progress to get there)
                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(1 + random.nextInt(40)))
                        .until(() -> finished(gateway, jobId) >= Math.min(target, ITEMS));
                System.out.printf("job crash test: kill %d at %d finished items%n", kill + 1, finished(gateway, jobId));
                gateway.kill();
                gateway.start();
            }
            // the asserted end state: no item open and the job completed
            await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(250))
                    .until(() -> open(gateway, jobId) == 0 && "COMPLETED".equals(jobStatus(gateway, jobId)));
            gateway.stop();

            try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + gateway.dataDir().resolve("gateway.db"))) {
                assertThat(count(db, "select count(*) from job_items where job_id = '" + jobId + "'")).isEqualTo(ITEMS);
                assertThat(count(db, "select count(*) from job_items where status not in ('SUCCEEDED', 'FAILED')")).isZero();
                long succeeded = count(db, "select count(*) from job_items where status = 'SUCCEEDED'");
                assertThat(succeeded).isEqualTo(ITEMS);
                assertThat(count(db, "select count(*) from jobs where id = '" + jobId + "' and status = 'COMPLETED'"))
                        .isEqualTo(1);
                // each succeeded item names its own succeeded run, and that run has exactly one usage row
                assertThat(count(db, "select count(distinct run_id) from job_items where status = 'SUCCEEDED'")).isEqualTo(succeeded);
                assertThat(count(db, """
                        select count(*) from job_items i join runs r on r.id = i.run_id
                        where i.status = 'SUCCEEDED' and r.status = 'SUCCEEDED'""")).isEqualTo(succeeded);
                assertThat(count(db, "select count(*) from runs where status = 'SUCCEEDED' and entry_point = 'job'"))
                        .isEqualTo(succeeded);
                assertThat(count(db, "select count(*) from (select run_id from usage_records where run_id is not null "
                        + "group by run_id having count(*) > 1) d")).isZero();
                assertThat(count(db, "select coalesce(sum(cost_micros), 0) from usage_records")).isEqualTo(succeeded * PRICE_MICROS);
                assertThat(count(db, "select balance from wallets")).isEqualTo(STARTING_MICROS - succeeded * PRICE_MICROS);
                assertThat(count(db, "select reserved from wallets")).isZero();
            }
        }
    }

    private static long finished(GatewayProcess gateway, String jobId) throws Exception {
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + gateway.dataDir().resolve("gateway.db"))) {
            return count(db, "select count(*) from job_items where job_id = '" + jobId + "' and status in ('SUCCEEDED', 'FAILED')");
        }
    }

    private static String jobStatus(GatewayProcess gateway, String jobId) throws Exception {
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + gateway.dataDir().resolve("gateway.db"));
             Statement s = db.createStatement();
             ResultSet rs = s.executeQuery("select status from jobs where id = '" + jobId + "'")) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    private static long open(GatewayProcess gateway, String jobId) throws Exception {
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + gateway.dataDir().resolve("gateway.db"))) {
            return count(db, "select count(*) from job_items where job_id = '" + jobId + "' and status in ('QUEUED', 'RUNNING')");
        }
    }

    private static long count(Connection db, String sql) throws Exception {
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
