package io.aimp.gateway.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import io.aimp.gateway.storage.TestDatabases;
import io.aimp.gateway.support.FakeOpenAi;
import io.aimp.gateway.support.GatewayClient;
import io.aimp.gateway.support.GatewayClient.Response;
import io.aimp.gateway.support.GatewayProcess;
import io.aimp.gateway.support.TestImages;
import io.aimp.gateway.support.TestSecrets;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntFunction;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Two gateway processes from the packaged jar on one PostgreSQL schema, one Redis and one S3-compatible
 * bucket (S3Proxy), behind nginx balancing round-robin: through the balancer they act as one gateway.
 * Wallet, limits, idempotency, MCP sessions, vectors, media and bulk jobs are checked across the nodes,
 * then Redis is stopped under load and restarted, then one node is killed (SIGKILL) in the middle of a job.
 *
 * <p>Runs when {@code AIMP_TEST_POSTGRES_URL} is set and nginx and redis-server are installed (as
 * {@code .ci/run} arranges); under {@code CI=true} a missing piece fails it, elsewhere it is skipped.
 */
class TwoNodeClusterIT {

    private static final String KEY = TestSecrets.apiKey();
    private static final String PASSWORD = TestSecrets.password();
    /** AIMP_SECRET_KEY, the same on both nodes. */
    private static final String SECRET = TestSecrets.base62(48);
    private static final String S3_ACCESS_KEY = "cluster-access";
    private static final String S3_SECRET_KEY = TestSecrets.base62(40);
    private static final String BUCKET = "aimp-cluster";
    /** {@code paid-summary}: 0.37 credits per run, executed in process. */
    private static final long RUN_PRICE = 370_000;
    /** {@code bulk-cluster}: 0.001 credits per item, a fake provider answering after 100 ms. */
    private static final long ITEM_PRICE = 1_000;
    private static final int JOB_ITEMS = 200;

    private final ExecutorService pool = Executors.newFixedThreadPool(64, r -> {
        Thread t = new Thread(r, "cluster-test-client");
        t.setDaemon(true);
        return t;
    });
    private String databaseUrl;

    @Test
    void should_act_as_one_gateway_behind_a_round_robin_balancer() throws Exception {
        String postgres = required("PostgreSQL (AIMP_TEST_POSTGRES_URL)", TestDatabases.postgresUrl());
        Path nginxBinary = required("nginx", ClusterTools.executable("nginx"));
        Path redisBinary = required("redis-server", ClusterTools.executable("redis-server"));

        Path work = TestSecrets.tempDir("aimp-cluster-");
        String schema = "cluster_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16).toLowerCase(Locale.ROOT);
        execute(postgres, "create schema " + schema);
        databaseUrl = postgres + (postgres.contains("?") ? "&" : "?") + "currentSchema=" + schema;
        int balancerPort = ClusterTools.freePort();
        long started = System.nanoTime();
        try (AutoCloseable dropSchema = () -> execute(postgres, "drop schema if exists " + schema + " cascade");
             AutoCloseable stopPool = pool::shutdownNow;
             S3 s3 = new S3();
             FakeOpenAi fakeA = new FakeOpenAi();
             FakeOpenAi fakeB = new FakeOpenAi();
             ClusterTools.Redis redis = new ClusterTools.Redis(redisBinary, work.resolve("redis")).start();
             GatewayProcess a = new GatewayProcess(work.resolve("a"), nodeEnv(work, fakeA, redis, s3, balancerPort));
             GatewayProcess b = new GatewayProcess(work.resolve("b"), nodeEnv(work, fakeB, redis, s3, balancerPort));
             ClusterTools.Nginx nginx = new ClusterTools.Nginx(nginxBinary, work.resolve("nginx"), balancerPort, a.port(), b.port())) {
            Files.createDirectories(a.dataDir());
            Files.createDirectories(b.dataDir());
            // one after the other: the first migrates the schema and creates the owner, the second finds them
            a.start();
            b.start();
            System.out.printf("cluster test: both nodes up after %d s%n", seconds(started));
            GatewayClient balancer = new GatewayClient(nginx.port());
            try {
                mcpSessionAcrossNodes(balancer, a, b);
                vectorsAndMediaAcrossNodes(balancer, a, b);
                walletRace(balancer);
                idempotencyAcrossNodes(balancer);
                requestsPerMinuteAcrossNodes(balancer);
                redisStoppedUnderLoad(balancer, redis);
                bulkJobWithAKilledNode(balancer, b, fakeA, fakeB);
            } catch (Throwable e) {
                printLogs(work);
                throw e;
            }
            System.out.printf("cluster test: done after %d s%n", seconds(started));
        }
    }

    /** {@code initialize} on A; the session's requests on B; ended on B, it is gone on A. */
    private void mcpSessionAcrossNodes(GatewayClient balancer, GatewayProcess a, GatewayProcess b) {
        Workspace ws = workspace(balancer, "10");
        GatewayClient onA = new GatewayClient(a.port()).withKey(ws.key()).withHeader("Accept", "application/json, text/event-stream");
        Response init = onA.post("/mcp", Map.of("jsonrpc", "2.0", "id", 1, "method", "initialize", "params", Map.of(
                "protocolVersion", "2025-11-25", "capabilities", Map.of(), "clientInfo", Map.of("name", "cluster-test", "version", "1"))));
        assertThat(init.status()).as(init.describe()).isEqualTo(200);
        String session = init.header("Mcp-Session-Id");
        assertThat(session).as(init.describe()).isNotBlank();
        String version = init.json().path("result").path("protocolVersion").asString();

        GatewayClient onB = new GatewayClient(b.port()).withKey(ws.key()).withHeader("Accept", "application/json, text/event-stream")
                .withHeader("Mcp-Session-Id", session).withHeader("MCP-Protocol-Version", version);
        Response initialized = onB.post("/mcp", Map.of("jsonrpc", "2.0", "method", "notifications/initialized"));
        assertThat(initialized.status()).as(initialized.describe()).isEqualTo(202);
        Response tools = onB.post("/mcp", Map.of("jsonrpc", "2.0", "id", 2, "method", "tools/list", "params", Map.of()));
        assertThat(tools.status()).as(tools.describe()).isEqualTo(200);
        assertThat(tools.json().path("result").path("tools").size()).as(tools.describe()).isPositive();

        Response end = onB.delete("/mcp");
        assertThat(end.status()).as(end.describe()).isEqualTo(204);
        Response after = onA.withHeader("Mcp-Session-Id", session).withHeader("MCP-Protocol-Version", version)
                .post("/mcp", Map.of("jsonrpc", "2.0", "id", 3, "method", "tools/list", "params", Map.of()));
        assertThat(after.status()).as(after.describe()).isEqualTo(404);
    }

    /**
     * Media uploaded in steps spread over both nodes (the bytes in the shared bucket); an image indexed on
     * A is found by the very next search on B, also after B's index copy exists (the change-log catch-up).
     */
    private void vectorsAndMediaAcrossNodes(GatewayClient balancer, GatewayProcess a, GatewayProcess b) {
        Workspace ws = workspace(balancer, "10");
        GatewayClient onA = new GatewayClient(a.port()).withKey(ws.key());
        GatewayClient onB = new GatewayClient(b.port()).withKey(ws.key());
        byte[] gradient = TestImages.gradient(320, 240);
        byte[] shapes = TestImages.shapes(320, 240);
        String first = upload(onA, new GatewayClient(b.port()), onA, gradient);
        String second = upload(onB, new GatewayClient(a.port()), onA, shapes);
        String firstQuery = upload(onB, new GatewayClient(a.port()), onB, TestImages.recompressed(gradient, 160, 120));
        String secondQuery = upload(onA, new GatewayClient(b.port()), onB, TestImages.recompressed(shapes, 160, 120));
        Response download = onB.get("/api/media/" + first + "/content");
        assertThat(download.status()).as(download.describe()).isEqualTo(200);
        assertThat(download.body()).isEqualTo(gradient);

        index(onA, first, "picture-1");
        assertThat(topHit(onB, firstQuery)).isEqualTo("picture-1");
        long indexed = System.nanoTime();
        index(onA, second, "picture-2");
        String hit = topHit(onB, secondQuery);
        System.out.printf("cluster test: indexed on A, found on B %d ms after the index answer%n",
                Duration.ofNanos(System.nanoTime() - indexed).toMillis());
        assertThat(hit).isEqualTo("picture-2");
    }

    private static void index(GatewayClient node, String mediaRef, String id) {
        Response r = node.post("/api/runs", Map.of("model", "clipo", "mode", "index", "scope", "cluster", "input", Map.of(
                "images", List.of(Map.of("media_ref", mediaRef, "filename", "image.png")), "image_ids", List.of(id)), "params", Map.of()));
        assertThat(r.status()).as(r.describe()).isEqualTo(200);
    }

    private static String topHit(GatewayClient node, String queryRef) {
        Response r = node.post("/api/runs", Map.of("model", "clipo", "mode", "search", "scope", "cluster", "input", Map.of(
                "image", Map.of("media_ref", queryRef, "filename", "query.jpg")), "params", Map.of("top_k", 5)));
        assertThat(r.status()).as(r.describe()).isEqualTo(200);
        return r.json().path("output").path("results").path(0).path("id").asString();
    }

    /** Upload init on one node, the bytes to another, completion on a third client: the media_ref. */
    private static String upload(GatewayClient init, GatewayClient bytes, GatewayClient complete, byte[] image) {
        boolean png = (image[0] & 0xFF) == 0x89;
        Response started = init.post("/api/media/upload/init", Map.of("filename", png ? "image.png" : "image.jpg",
                "content_type", png ? "image/png" : "image/jpeg", "media_type", "image", "size_bytes", image.length));
        assertThat(started.status()).as(started.describe()).isEqualTo(201);
        Response put = bytes.send("PUT", URI.create(started.get("upload_url")).getPath(), "application/octet-stream", image);
        assertThat(put.status()).as(put.describe()).isBetween(200, 204);
        Response done = complete.post("/api/media/upload/complete", Map.of("upload_id", started.get("upload_id")));
        assertThat(done.status()).as(done.describe()).isEqualTo(201);
        return done.get("media_ref");
    }

    /** 500 runs race for a wallet that covers exactly 270. */
    private void walletRace(GatewayClient balancer) throws Exception {
        Workspace ws = workspace(balancer, "100");
        GatewayClient client = balancer.withKey(ws.key());
        List<Response> answers = concurrently(500, i -> run(client, "Run number " + i + " summarises this sentence. And this one too."));

        assertThat(answers.stream().filter(r -> r.status() == 200).count()).isEqualTo(270);
        assertThat(answers.stream().filter(r -> r.status() != 200).toList()).hasSize(230).allSatisfy(r -> {
            assertThat(r.status()).as(r.describe()).isEqualTo(402);
            assertThat(r.get("code")).isEqualTo("insufficient_funds");
        });
        assertThat(count("select balance from wallets where workspace_id = ?", ws.id())).isEqualTo(100_000_000L - 270 * RUN_PRICE);
        assertThat(count("select count(*) from runs where workspace_id = ?", ws.id())).isEqualTo(270);
        assertThat(count("select count(*) from ledger_entries where workspace_id = ? and kind = 'charge'", ws.id())).isEqualTo(270);
        assertMoneyAddsUp(ws);
    }

    /** One Idempotency-Key sent 20 times at once, spread over both nodes: one run, one charge. */
    private void idempotencyAcrossNodes(GatewayClient balancer) throws Exception {
        Workspace ws = workspace(balancer, "10");
        GatewayClient client = balancer.withKey(ws.key()).withHeader("Idempotency-Key", "cluster-order-1");
        List<Response> answers = concurrently(20, i -> run(client, "The same request every time. It has two sentences."));

        Set<String> runIds = new HashSet<>();
        for (Response r : answers) {
            assertThat(r.status()).as(r.describe()).isIn(200, 409);
            if (r.status() == 200) {
                runIds.add(r.get("id"));
            } else {
                assertThat(r.get("code")).isEqualTo("idempotency_key_in_use");
            }
        }
        assertThat(runIds).hasSize(1);
        assertThat(count("select count(*) from runs where workspace_id = ?", ws.id())).isEqualTo(1);
        assertThat(count("select balance from wallets where workspace_id = ?", ws.id())).isEqualTo(10_000_000L - RUN_PRICE);
        assertMoneyAddsUp(ws);
    }

    /** A key limited to 60 requests per minute under 200 requests over both nodes: 60 admitted. */
    private void requestsPerMinuteAcrossNodes(GatewayClient balancer) throws Exception {
        Workspace ws = workspace(balancer, "100");
        limitKey(balancer, ws, 60);
        GatewayClient client = balancer.withKey(ws.key());
        List<Response> answers = concurrently(200, i -> run(client, "Request " + i + " of the limited key. It has two sentences."));

        assertThat(answers.stream().filter(r -> r.status() == 200).count()).isEqualTo(60);
        assertThat(answers.stream().filter(r -> r.status() != 200).toList()).hasSize(140)
                .allSatisfy(r -> assertThat(r.status()).as(r.describe()).isEqualTo(429));
        assertThat(count("select count(*) from runs where workspace_id = ?", ws.id())).isEqualTo(60);
    }

    /**
     * Redis stopped while runs of a limited key keep arriving: they are refused at once with 503
     * {@code limits_unavailable} (the default {@code aimp.limits.redis-unavailable: deny}), none hangs,
     * and after Redis is back they are admitted again without touching the gateways.
     */
    private void redisStoppedUnderLoad(GatewayClient balancer, ClusterTools.Redis redis) throws Exception {
        Workspace ws = workspace(balancer, "1000");
        limitKey(balancer, ws, 1_000_000);
        GatewayClient client = balancer.withKey(ws.key());
        ConcurrentLinkedQueue<Answer> answers = new ConcurrentLinkedQueue<>();
        AtomicBoolean loading = new AtomicBoolean(true);
        List<Future<?>> load = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            load.add(pool.submit(() -> {
                int i = 0;
                while (loading.get()) {
                    long start = System.nanoTime();
                    Response r = run(client, "Load request " + (i++) + " while Redis comes and goes.");
                    answers.add(new Answer(System.nanoTime(), r.status(), code(r), r.header("Retry-After"),
                            Duration.ofNanos(System.nanoTime() - start).toMillis()));
                }
                return null;
            }));
        }
        try {
            long begin = System.nanoTime();
            await().atMost(Duration.ofSeconds(60)).until(() -> answers.stream()
                    .filter(x -> x.at() > begin && x.status() == 200).count() >= 20);
            redis.stop();
            long stopped = System.nanoTime();
            await().atMost(Duration.ofSeconds(60)).until(() -> answers.stream()
                    .filter(x -> x.at() > stopped && "limits_unavailable".equals(x.code())).count() >= 20);
            redis.start();
            long restarted = System.nanoTime();
            await().atMost(Duration.ofSeconds(60)).until(() -> answers.stream()
                    .filter(x -> x.at() > restarted && x.status() == 200).count() >= 20);
        } finally {
            loading.set(false);
            for (Future<?> f : load) {
                f.get(120, TimeUnit.SECONDS);
            }
        }
        List<Answer> all = List.copyOf(answers);
        System.out.printf("cluster test: Redis outage: %d answers, %d admitted, %d limits_unavailable, slowest %d ms%n", all.size(),
                all.stream().filter(x -> x.status() == 200).count(),
                all.stream().filter(x -> "limits_unavailable".equals(x.code())).count(),
                all.stream().mapToLong(Answer::millis).max().orElse(0));
        assertThat(all).allSatisfy(x -> {
            assertThat(x.status()).as("%s", x).isIn(200, 503);
            if (x.status() == 503) {
                assertThat(x.code()).as("%s", x).isEqualTo("limits_unavailable");
                assertThat(x.retryAfter()).as("%s", x).isEqualTo("1");
            }
            // never hangs: a check waits at most aimp.redis.command-timeout; the bound leaves room for a loaded machine
            assertThat(x.millis()).as("%s", x).isLessThan(30_000);
        });
        long admitted = all.stream().filter(x -> x.status() == 200).count();
        assertThat(count("select count(*) from runs where workspace_id = ?", ws.id())).isEqualTo(admitted);
        assertMoneyAddsUp(ws);
    }

    /**
     * A bulk job of 200 items through the balancer: both nodes execute items (each node has its own fake
     * provider); node B is killed (SIGKILL) once both have and part of the job is done; A finishes the job,
     * taking B's claimed items again when their lease ends. Every item succeeded once, was charged once,
     * and the ledger adds up to the balance; the dead node's reservations are released.
     */
    private void bulkJobWithAKilledNode(GatewayClient balancer, GatewayProcess b, FakeOpenAi fakeA, FakeOpenAi fakeB) {
        Workspace ws = workspace(balancer, "100");
        List<Map<String, Object>> items = new ArrayList<>();
        for (int i = 0; i < JOB_ITEMS; i++) {
            items.add(Map.of("text", "item " + i));
        }
        Response created = balancer.withKey(ws.key()).post("/api/jobs", Map.of("model", "bulk-cluster", "items", items));
        assertThat(created.status()).as(created.describe()).isEqualTo(202);
        String job = created.get("id");

        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(20)).until(() ->
                fakeA.calls("delay100") > 0 && fakeB.calls("delay100") > 0 && finished(job) >= 40);
        long finishedAtKill = finished(job);
        b.kill();
        System.out.printf("cluster test: node B killed at %d of %d items (A called its provider %d times, B %d)%n",
                finishedAtKill, JOB_ITEMS, fakeA.calls("delay100"), fakeB.calls("delay100"));
        assertThat(finishedAtKill).as("killed in the middle of the job").isLessThan(JOB_ITEMS);
        long killed = System.nanoTime();

        // A alone ends it: B's claimed items come back after their 10 s lease
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(250)).until(() ->
                count("select count(*) from jobs where id = ? and status = 'COMPLETED'", job) == 1);
        System.out.printf("cluster test: job completed %d s after the kill%n", seconds(killed));
        assertThat(count("select count(*) from job_items where job_id = ?", job)).isEqualTo(JOB_ITEMS);
        assertThat(count("select count(*) from job_items where job_id = ? and status = 'SUCCEEDED'", job)).isEqualTo(JOB_ITEMS);
        assertThat(count("select count(distinct run_id) from job_items where job_id = ?", job)).isEqualTo(JOB_ITEMS);
        assertThat(count("select count(*) from job_items i join runs r on r.id = i.run_id "
                + "where i.job_id = ? and r.status = 'SUCCEEDED'", job)).isEqualTo(JOB_ITEMS);
        // each item charged once: one charge and one priced usage row per succeeded run, nothing else
        assertThat(count("select count(*) from ledger_entries where workspace_id = ? and kind = 'charge'", ws.id())).isEqualTo(JOB_ITEMS);
        assertThat(count("select count(*) from (select run_id from usage_records where workspace_id = ? and run_id is not null "
                + "group by run_id having count(*) > 1) d", ws.id())).isZero();
        assertThat(count("select coalesce(sum(cost_micros), 0) from usage_records where workspace_id = ?", ws.id()))
                .isEqualTo(JOB_ITEMS * ITEM_PRICE);
        assertThat(count("select balance from wallets where workspace_id = ?", ws.id())).isEqualTo(100_000_000L - JOB_ITEMS * ITEM_PRICE);
        // the reservations of the killed node's unfinished runs are released once their lease ends
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250)).until(() ->
                count("select reserved from wallets where workspace_id = ?", ws.id()) == 0);
        assertMoneyAddsUp(ws);
    }

    private long finished(String job) {
        return count("select count(*) from job_items where job_id = ? and status in ('SUCCEEDED', 'FAILED')", job);
    }

    /** Ledger sum = balance, nothing reserved, no hold left. */
    private void assertMoneyAddsUp(Workspace ws) {
        assertThat(count("select coalesce(sum(amount), 0) from ledger_entries where workspace_id = ?", ws.id()))
                .isEqualTo(count("select balance from wallets where workspace_id = ?", ws.id()));
        assertThat(count("select reserved from wallets where workspace_id = ?", ws.id())).isZero();
        assertThat(count("select count(*) from wallet_holds where workspace_id = ?", ws.id())).isZero();
    }

    /** The problem code of a gateway answer; {@code null} for another answer (nginx's own error pages are HTML). */
    private static String code(Response r) {
        String type = r.contentType();
        return type != null && type.contains("json") ? r.get("code") : null;
    }

    private static Response run(GatewayClient client, String text) {
        return client.post("/api/runs", Map.of("model", "paid-summary", "input", Map.of("text", text)));
    }

    private <T> List<T> concurrently(int count, IntFunction<T> call) throws Exception {
        List<Future<T>> futures = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int n = i;
            futures.add(pool.submit(() -> call.apply(n)));
        }
        List<T> results = new ArrayList<>();
        for (Future<T> f : futures) {
            results.add(f.get(300, TimeUnit.SECONDS));
        }
        return results;
    }

    /** One answer of the Redis outage load: when it came (nanoTime), what it was and how long it took. */
    private record Answer(long at, int status, String code, String retryAfter, long millis) {
    }

    record Workspace(String id, String key, String keyId, String accessToken) {
    }

    /**
     * A new workspace with its own owner key, topped up to {@code credits}. Everything is done with the
     * owner's access token, so the key itself is first used by the scenario (no node has cached its limits).
     */
    private static Workspace workspace(GatewayClient balancer, String credits) {
        Response ws = balancer.withKey(KEY).post("/api/workspaces", Map.of("name", "cluster " + UUID.randomUUID()));
        assertThat(ws.status()).as(ws.describe()).isEqualTo(201);
        String id = ws.get("id");
        Response login = balancer.post("/api/auth/login", Map.of("email", "owner@localhost", "password", PASSWORD, "workspace_id", id));
        assertThat(login.status()).as(login.describe()).isEqualTo(200);
        GatewayClient owner = balancer.withBearer(login.get("access_token"));
        Response key = owner.post("/api/keys", Map.of("name", "owner", "role", "owner"));
        assertThat(key.status()).as(key.describe()).isEqualTo(201);
        Response top = owner.post("/api/billing/wallet/credits", Map.of("amount", credits, "reason", "cluster test"));
        assertThat(top.status()).as(top.describe()).isEqualTo(200);
        return new Workspace(id, key.get("secret"), key.json().path("key").path("id").asString(), login.get("access_token"));
    }

    private static void limitKey(GatewayClient balancer, Workspace ws, long requestsPerMinute) {
        Response limits = balancer.withBearer(ws.accessToken()).json("PUT", "/api/keys/" + ws.keyId() + "/limits",
                Map.of("requests_per_minute", requestsPerMinute));
        assertThat(limits.status()).as(limits.describe()).isEqualTo(200);
    }

    private Map<String, String> nodeEnv(Path work, FakeOpenAi fake, ClusterTools.Redis redis, S3 s3, int balancerPort) throws Exception {
        Path catalog = work.resolve("catalog");
        if (!Files.isDirectory(catalog)) {
            Files.createDirectories(catalog);
            Files.writeString(catalog.resolve("paid-summary.yaml"), """
                    slug: paid-summary
                    name: Paid summary
                    kind: text
                    description: Extractive summary at a fixed price per run.
                    visibility: public
                    modes:
                      execute:
                        input: {type: object, required: [text], additionalProperties: false, properties: {text: {type: string, minLength: 1}}}
                    releases:
                      - version: 1.0.0
                        routes: [{provider: local, model: extractive-summary}]
                        pricing: {per_run: 0.37}
                    text: {prompt: "{{input.text}}"}
                    """);
            Files.writeString(catalog.resolve("bulk-cluster.yaml"), """
                    slug: bulk-cluster
                    name: Bulk cluster
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
        }
        Map<String, String> env = new HashMap<>();
        env.put("AIMP_DATABASE_URL", databaseUrl);
        env.put("AIMP_REDIS_URL", "redis://127.0.0.1:" + redis.port() + "/0");
        // a loaded test machine pauses a JVM for longer than the 250 ms default; an outage still fails at once
        // (the connection is refused), so this only keeps a slow answer from counting as an outage
        env.put("AIMP_REDIS_COMMAND_TIMEOUT", "3s");
        env.put("AIMP_BOOTSTRAP_API_KEY", KEY);
        env.put("AIMP_BOOTSTRAP_OWNER_PASSWORD", PASSWORD);
        env.put("AIMP_SECRET_KEY", SECRET);
        env.put("AIMP_PUBLIC_URL", "http://127.0.0.1:" + balancerPort);
        env.put("AIMP_MEDIA_STORE", "s3");
        env.put("AIMP_MEDIA_S3_ENDPOINT", "http://127.0.0.1:" + s3.port());
        env.put("AIMP_MEDIA_S3_BUCKET", BUCKET);
        env.put("AIMP_MEDIA_S3_ACCESS_KEY", S3_ACCESS_KEY);
        env.put("AIMP_MEDIA_S3_SECRET_KEY", S3_SECRET_KEY);
        env.put("AIMP_CATALOG_DIR", catalog.toString());
        env.put("AIMP_PROVIDERS_FAKE_TYPE", "openai");
        env.put("AIMP_PROVIDERS_FAKE_BASE_URL", fake.baseUrl("delay100"));
        // the shortest lease, and sweeps every second, so that the kill test ends in seconds
        env.put("AIMP_JOBS_LEASE", "10s");
        env.put("AIMP_IDEMPOTENCY_CLAIM_MARGIN", "2s");
        env.put("AIMP_JOBS_WORKERS", "4");
        env.put("AIMP_JOBS_MAX_ITEMS", Integer.toString(JOB_ITEMS));
        env.put("AIMP_BILLING_HOLD_LEASE_MARGIN", "1s");
        env.put("AIMP_BILLING_HOLD_SWEEP_MS", "1000");
        env.put("AIMP_RUNS_LEASE_SWEEP_MS", "1000");
        // every namespace through its Lucene index, so that the vector step crosses the index copies' catch-up
        env.put("AIMP_VECTORS_EXACT_SEARCH_BELOW", "0");
        env.put("AIMP_HTTP_ACCESS_LOG", "false");
        return env;
    }

    /** S3Proxy in this JVM with an in-memory bucket (Signature V4 checked): the nodes' shared media store. */
    private static final class S3 implements AutoCloseable {
        private final S3Proxy proxy;

        S3() throws Exception {
            TransientNio2BlobStore backend = new TransientNio2BlobStore();
            backend.createContainer(BUCKET);
            proxy = S3Proxy.builder().blobStore(backend).endpoint(URI.create("http://127.0.0.1:0"))
                    .awsAuthentication(AuthenticationType.AWS_V4, S3_ACCESS_KEY, S3_SECRET_KEY).build();
            proxy.start();
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10)).until(() -> "STARTED".equals(proxy.getState()));
        }

        int port() {
            return proxy.getPort();
        }

        @Override
        public void close() throws Exception {
            proxy.stop();
        }
    }

    private long count(String sql, Object... args) {
        try (Connection c = DriverManager.getConnection(databaseUrl); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                s.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = s.executeQuery()) {
                assertThat(rs.next()).as(sql).isTrue();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    private static void execute(String url, String sql) {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL (" + TestDatabases.POSTGRES_URL_ENV + ") failed on: " + sql, e);
        }
    }

    /** A piece the test needs: under CI=true its absence fails the test, elsewhere it skips it. */
    private static <T> T required(String what, Optional<T> piece) {
        if (piece.isEmpty()) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail("the two-node test needs " + what + " (CI=true: it must run; .ci/run installs nginx and Redis when missing)");
            }
            Assumptions.abort("the two-node test runs with " + what + " available");
        }
        return piece.get();
    }

    /** The warnings and errors of both nodes (their folders are deleted when the test JVM ends). */
    private static void printLogs(Path work) {
        for (String node : List.of("a", "b")) {
            try (var files = Files.list(work.resolve(node))) {
                for (Path log : files.filter(p -> p.getFileName().toString().startsWith("gateway-")).sorted().toList()) {
                    System.out.println("cluster test: warnings and errors in node " + node + "'s " + log.getFileName() + ":");
                    try (var lines = Files.lines(log)) {
                        lines.filter(l -> l.contains(" WARN ") || l.contains(" ERROR ") || l.startsWith("\t") || l.startsWith("Caused by"))
                                .limit(200).forEach(System.out::println);
                    }
                }
            } catch (java.io.IOException | java.io.UncheckedIOException e) {
                System.out.println("cluster test: no log of node " + node + ": " + e);
            }
        }
    }

    private static long seconds(long sinceNanos) {
        return Duration.ofNanos(System.nanoTime() - sinceNanos).toSeconds();
    }
}
