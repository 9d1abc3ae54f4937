package io.aimp.gateway.webhooks;

import static io.aimp.gateway.support.ProblemAssert.assertProblem;
import static io.aimp.gateway.support.ScriptedResolver.address;
import static io.aimp.gateway.support.ScriptedResolver.fresh;
import static io.aimp.gateway.support.ScriptedResolver.script;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.aimp.gateway.egress.EgressClient;
import io.aimp.gateway.egress.EgressPolicy;
import io.aimp.gateway.common.Ids;
import io.aimp.gateway.runs.RunStatus;
import io.aimp.gateway.runs.RunStore;
import io.aimp.gateway.support.CheckedAgainstOpenApi;
import io.aimp.gateway.support.GatedHttpTest;
import io.aimp.gateway.support.GatewayClient;
import io.aimp.gateway.support.TestAccounts;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Webhooks end to end: endpoints registered over HTTP, events of asynchronous runs, jobs and pings
 * delivered to a receiver on 127.0.0.1 (a name on the test's allowlist resolves there; the test's
 * egress rule lets loopback through), with a short backoff so retries happen within the test. The gated
 * models hold a run at its provider, so another one waits in the queue; the lease sweep runs every 200 ms.
 */
@CheckedAgainstOpenApi
@Import(WebhooksHttpTest.LoopbackEgress.class)
@TestPropertySource(properties = {"aimp.webhooks.backoff=100ms", "aimp.webhooks.max-backoff=200ms",
        "aimp.webhooks.timeout=3s", "aimp.webhooks.max-attempts=4", "aimp.runs.lease-sweep-ms=200"})
class WebhooksHttpTest extends GatedHttpTest {

    static final String HOST = fresh("receiver");

    static {
        script(HOST, List.of(address("127.0.0.1")));
    }

    @DynamicPropertySource
    static void webhookProperties(DynamicPropertyRegistry registry) {
        registry.add("aimp.webhooks.allowed-hosts", () -> HOST);
    }

    /** The product's webhook egress, but loopback addresses (the test's receiver) pass the address rule. */
    @TestConfiguration(proxyBeanMethods = false)
    static class LoopbackEgress {
        @Bean
        @Primary
        WebhookEgress loopbackWebhookEgress(WebhookProperties p) {
            return new WebhookEgress(new EgressClient(EgressPolicy.of(WebhookProperties.ALLOWLIST, p.allowedHosts(), 0,
                    p.timeout(), 4096).withAddressCheck(a -> a.isLoopbackAddress())));
        }
    }

    record Received(String id, String timestamp, String signature, String body) {
        JsonNode event() {
            return GatewayClient.JSON.readTree(body);
        }
    }

    HttpServer receiver;
    final List<Received> received = new CopyOnWriteArrayList<>();
    final List<Integer> answers = new CopyOnWriteArrayList<>();
    final AtomicInteger calls = new AtomicInteger();
    final CountDownLatch release = new CountDownLatch(1);
    volatile boolean hanging;
    /** The endpoints a test registered, each with the client of its workspace's admin. */
    final List<Map.Entry<GatewayClient, String>> endpoints = new ArrayList<>();

    @Autowired
    RunStore runs;
    @Autowired
    Clock clock;

    @BeforeEach
    void startReceiver() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        receiver.createContext("/", x -> {
            int n = calls.getAndIncrement();
            received.add(new Received(x.getRequestHeaders().getFirst("webhook-id"),
                    x.getRequestHeaders().getFirst("webhook-timestamp"), x.getRequestHeaders().getFirst("webhook-signature"),
                    new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            if (hanging) {
                try {
                    release.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            x.sendResponseHeaders(n < answers.size() ? answers.get(n) : 204, -1);
            x.close();
        });
        receiver.start();
    }

    @AfterEach
    void stopReceiver() {
        // the workspace is shared with the other tests: their runs must not queue events for this test's endpoints
        endpoints.forEach(e -> e.getKey().delete("/api/webhooks/endpoints/" + e.getValue()));
        release.countDown();
        receiver.stop(0);
    }

    private String url() {
        return "http://" + HOST + ":" + receiver.getAddress().getPort() + "/hooks";
    }

    private JsonNode register(String... events) {
        return register(owner, events);
    }

    private JsonNode register(GatewayClient admin, String... events) {
        GatewayClient.Response r = admin.post("/api/webhooks/endpoints",
                Map.of("url", url(), "events", List.of(events), "description", "test receiver"));
        assertThat(r.status()).as(r.describe()).isEqualTo(201);
        endpoints.add(Map.entry(admin, r.get("id")));
        return r.json();
    }

    private static boolean verifies(String secret, Received r) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
        String expected = "v1," + Base64.getEncoder().encodeToString(
                mac.doFinal((r.id() + "." + r.timestamp() + "." + r.body()).getBytes(StandardCharsets.UTF_8)));
        return expected.equals(r.signature());
    }

    private Received awaitEvent(String type, String dataId) {
        return await().atMost(Duration.ofSeconds(60)).until(() -> received.stream()
                .filter(r -> type.equals(r.event().path("type").asString())
                        && dataId.equals(r.event().path("data").path("id").asString()))
                .findFirst().orElse(null), java.util.Objects::nonNull);
    }

    private String asyncRun() {
        GatewayClient.Response r = owner.post("/api/runs", Map.of("model", "demo-model", "mode", "execute",
                "input", Map.of("text", "Webhooks tell a receiver that a run ended."), "options", Map.of("async", true)));
        assertThat(r.status()).as(r.describe()).isEqualTo(202);
        return r.get("id");
    }

    @Test
    void should_deliver_a_signed_run_completed_event_when_an_asynchronous_run_ends() throws Exception {
        // given an endpoint for run.completed
        JsonNode endpoint = register("run.completed");
        String secret = endpoint.path("secret").asString();
        assertThat(secret).startsWith("whsec_");

        // when an asynchronous run ends
        String runId = asyncRun();

        // then the receiver gets its run object, signed with the endpoint's secret
        Received r = awaitEvent("run.completed", runId);
        assertThat(verifies(secret, r)).isTrue();
        assertThat(r.event().path("data").path("status").asString()).isEqualTo("succeeded");
        assertThat(r.event().path("data").path("object").asString()).isEqualTo("run");
        assertThat(Math.abs(Long.parseLong(r.timestamp()) - System.currentTimeMillis() / 1000)).isLessThan(600);
        // and the delivery is logged with its outcome; the secret is never shown again
        String id = endpoint.path("id").asString();
        JsonNode deliveries = await().atMost(Duration.ofSeconds(30)).until(
                () -> owner.get("/api/webhooks/endpoints/" + id + "/deliveries").json(),
                page -> page.path("data").size() == 1 && "succeeded".equals(page.path("data").get(0).path("status").asString()));
        JsonNode d = deliveries.path("data").get(0);
        assertThat(d.path("event_id").asString()).isEqualTo(r.id());
        assertThat(d.path("event_type").asString()).isEqualTo("run.completed");
        assertThat(d.path("response_status").asInt()).isEqualTo(204);
        assertThat(d.path("attempts").asInt()).isEqualTo(1);
        assertThat(owner.get("/api/webhooks/endpoints/" + id).json().has("secret")).isFalse();
        assertThat(owner.get("/api/webhooks/endpoints").text()).doesNotContain(secret);
    }

    @Test
    void should_deliver_run_completed_when_a_queued_run_is_canceled_before_it_starts() throws Exception {
        // given an endpoint of a workspace whose key may run one run at a time, that run held at its provider
        Tenant t = tenant("1");
        String secret = register(t.owner(), "run.completed").path("secret").asString();
        TestAccounts.Key key = t.accounts().key("developer");
        t.keyLimits(key.id(), Map.of("concurrent_runs", 1));
        GatewayClient client = anonymous.withKey(key.secret());
        GATED.hold("gated");
        String held = submitAsync(client, "gated-text", Map.of("text", "first"));
        await().atMost(Duration.ofSeconds(30)).until(() -> GATED.waiting("gated") == 1);
        String queued = submitAsync(client, "gated-text", Map.of("text", "second"));

        // when the queued run is canceled
        GatewayClient.Response cancel = t.owner().post("/api/runs/" + queued + "/cancel", Map.of());
        assertThat(cancel.status()).as(cancel.describe()).isEqualTo(200);
        assertThat(cancel.get("status")).isEqualTo("canceled");

        // then the receiver gets the canceled run, signed with the endpoint's secret
        Received r = awaitEvent("run.completed", queued);
        assertThat(verifies(secret, r)).isTrue();
        JsonNode event = r.event();
        assertThat(event.path("workspace_id").asString()).isEqualTo(t.id());
        assertThat(event.path("data").path("object").asString()).isEqualTo("run");
        assertThat(event.path("data").path("id").asString()).isEqualTo(queued);
        assertThat(event.path("data").path("status").asString()).isEqualTo("canceled");
        assertThat(event.path("data").path("cost").path("credits").asString()).isEqualTo("0.000000");
        // committed with its one usage record
        assertThat(usage(t.owner(), queued)).extracting(u -> u.path("status").asString()).containsExactly("canceled");
        // and once the held run ends too, each run had exactly one event; the canceled one never reached the provider
        GATED.open("gated");
        awaitEvent("run.completed", held);
        assertThat(received.stream().filter(x -> queued.equals(x.event().path("data").path("id").asString()))).hasSize(1);
        assertThat(GATED.calls("gated")).isEqualTo(1);
    }

    @Test
    void should_deliver_run_completed_when_the_lease_sweep_fails_a_run_a_stopped_gateway_left_running() throws Exception {
        // given an endpoint, and an async run another gateway was executing when it stopped: its lease ended a minute ago
        Tenant t = tenant("1");
        String secret = register(t.owner(), "run.completed").path("secret").asString();
        String model = submitAsync(t.owner(), "demo-model", Map.of("text", "A run another gateway started."));
        awaitEvent("run.completed", model);
        long now = clock.millis();
        String abandoned = Ids.newId("run", now);
        runs.insert(runs.find(t.id(), model).orElseThrow().toBuilder().id(abandoned).status(RunStatus.RUNNING)
                .output(null).error(null).usage(0, 0, 0, false, 0).provider(null).providerModel(null)
                .createdAt(now - 120_000).startedAt(now - 120_000).leaseUntil(now - 60_000).completedAt(null).build());

        // when the lease sweep finds it, then the receiver gets it failed, signed with the endpoint's secret
        Received r = awaitEvent("run.completed", abandoned);
        assertThat(verifies(secret, r)).isTrue();
        JsonNode data = r.event().path("data");
        assertThat(data.path("status").asString()).isEqualTo("failed");
        assertThat(data.path("error").path("code").asString()).isEqualTo("run_interrupted");
        assertThat(r.event().path("workspace_id").asString()).isEqualTo(t.id());
        // and the event reports the state the run has
        JsonNode run = t.owner().get("/api/runs/" + abandoned).json();
        assertThat(run.path("status").asString()).isEqualTo("failed");
        assertThat(run.path("completed_at").asString()).isEqualTo(data.path("completed_at").asString());
        assertThat(usage(t.owner(), abandoned)).extracting(u -> u.path("status").asString()).containsExactly("failed");
    }

    private static List<JsonNode> usage(GatewayClient client, String runId) {
        GatewayClient.Response r = client.get("/api/logs/usage?run_id=" + runId);
        assertThat(r.status()).as(r.describe()).isEqualTo(200);
        List<JsonNode> rows = new ArrayList<>();
        r.json().path("data").forEach(rows::add);
        return rows;
    }

    @Test
    void should_retry_a_delivery_the_receiver_answered_500_until_it_is_accepted() {
        // given a receiver that fails twice
        answers.addAll(List.of(500, 500));
        JsonNode endpoint = register("run.completed");
        String id = endpoint.path("id").asString();

        // when a ping is sent
        GatewayClient.Response ping = owner.post("/api/webhooks/endpoints/" + id + "/ping", Map.of());
        assertThat(ping.status()).as(ping.describe()).isEqualTo(202);
        assertThat(ping.get("event_type")).isEqualTo("webhook.ping");

        // then the third attempt delivers it, under one event id
        JsonNode done = await().atMost(Duration.ofSeconds(60)).until(
                () -> owner.get("/api/webhooks/endpoints/" + id + "/deliveries").json().path("data").get(0),
                d -> "succeeded".equals(d.path("status").asString()));
        assertThat(done.path("attempts").asInt()).isEqualTo(3);
        assertThat(calls.get()).isEqualTo(3);
        assertThat(received).extracting(Received::id).containsOnly(done.path("event_id").asString());
    }

    @Test
    void should_not_block_runs_while_the_receiver_hangs() {
        // given a receiver that holds every delivery open
        hanging = true;
        register("run.completed");
        String first = asyncRun();
        awaitEvent("run.completed", first);

        // when another asynchronous run and a synchronous one are made while it hangs
        String second = asyncRun();
        GatewayClient.Response sync = owner.post("/api/runs", Map.of("model", "demo-model",
                "input", Map.of("text", "A synchronous run publishes nothing.")));

        // then both runs end without waiting for the receiver
        assertThat(sync.status()).as(sync.describe()).isEqualTo(200);
        JsonNode run = await().atMost(Duration.ofSeconds(60)).until(() -> owner.get("/api/runs/" + second).json(),
                r -> "succeeded".equals(r.path("status").asString()));
        assertThat(run.path("id").asString()).isEqualTo(second);
        assertThat(release.getCount()).as("the receiver is still holding its first delivery").isEqualTo(1);
    }

    @Test
    void should_publish_job_completed_when_a_bulk_job_ends() {
        register("job.completed");
        GatewayClient.Response job = owner.post("/api/jobs", Map.of("model", "demo-model",
                "items", List.of(Map.of("text", "one"), Map.of("text", "two"))));
        assertThat(job.status()).as(job.describe()).isEqualTo(202);

        Received r = awaitEvent("job.completed", job.get("id"));
        assertThat(r.event().path("data").path("status").asString()).isEqualTo("completed");
        assertThat(r.event().path("data").path("counts").path("succeeded").asInt()).isEqualTo(2);
    }

    @Test
    void should_refuse_an_endpoint_whose_host_is_not_on_the_allowlist() {
        int port = receiver.getAddress().getPort();
        for (String url : List.of("http://localhost:" + port + "/hooks", "http://127.0.0.1:" + port + "/hooks",
                "http://not-listed.example/hooks", "ftp://" + HOST + "/hooks")) {
            GatewayClient.Response r = owner.post("/api/webhooks/endpoints", Map.of("url", url, "events", List.of("run.completed")));
            JsonNode problem = assertProblem(r, 400, "webhook_url_not_allowed", "invalid_request");
            assertThat(problem.path("errors").get(0).path("path").asString()).as(url).isEqualTo("$.url");
            assertThat(problem.path("detail").asString()).contains("aimp.webhooks.allowed-hosts");
        }
        assertThat(calls.get()).isZero();
    }

    @Test
    void should_name_the_fix_for_a_bad_endpoint_request() {
        JsonNode unknown = assertProblem(owner.post("/api/webhooks/endpoints",
                Map.of("url", url(), "events", List.of("run.completed", "run.started"))), 400, "unknown_event_type", "invalid_request");
        assertThat(unknown.path("errors").get(0).path("path").asString()).isEqualTo("$.events[1]");
        assertThat(unknown.path("detail").asString()).contains("job.completed", "run.completed");
        assertProblem(owner.post("/api/webhooks/endpoints", Map.of("url", url())), 400, "invalid_events", "invalid_request");
        assertProblem(owner.post("/api/webhooks/endpoints", Map.of("url", url(), "events", List.of("run.completed"),
                "secret", "mine")), 400, "unknown_field", "invalid_request");
        assertProblem(owner.post("/api/webhooks/endpoints", Map.of("events", List.of("run.completed"))), 400, "invalid_url",
                "invalid_request");
    }

    @Test
    void should_list_get_and_delete_endpoints() {
        String id = register("run.completed", "job.completed").path("id").asString();

        JsonNode listed = owner.get("/api/webhooks/endpoints").json();
        assertThat(listed.path("data").findValuesAsString("id")).contains(id);
        JsonNode got = owner.get("/api/webhooks/endpoints/" + id).json();
        assertThat(got.path("url").asString()).isEqualTo(url());
        assertThat(got.path("events").toString()).isEqualTo("[\"run.completed\",\"job.completed\"]");

        assertThat(owner.delete("/api/webhooks/endpoints/" + id).status()).isEqualTo(204);
        assertProblem(owner.get("/api/webhooks/endpoints/" + id), 404, "not_found", "invalid_request");
        assertProblem(owner.get("/api/webhooks/endpoints/" + id + "/deliveries"), 404, "not_found", "invalid_request");
        assertProblem(owner.delete("/api/webhooks/endpoints/" + id), 404, "not_found", "invalid_request");
    }

    @Test
    void should_report_webhooks_and_their_event_types_among_the_features() {
        JsonNode features = owner.get("/api/status/features").json();
        assertThat(features.path("features").path("webhooks").asBoolean()).isTrue();
        List<String> events = new ArrayList<>();
        features.path("details").path("webhooks").path("events").forEach(n -> events.add(n.asString()));
        assertThat(events).containsExactly("job.completed", "run.completed");
    }

    @Test
    void should_let_only_admins_manage_webhooks() {
        String id = register("run.completed").path("id").asString();
        for (String role : List.of("member", "developer")) {
            GatewayClient client = anonymous.withKey(accounts.key(role).secret());
            assertProblem(client.post("/api/webhooks/endpoints", Map.of("url", url(), "events", List.of("run.completed"))),
                    403, "permission_denied", "permission");
            assertProblem(client.get("/api/webhooks/endpoints"), 403, "permission_denied", "permission");
            assertProblem(client.get("/api/webhooks/endpoints/" + id + "/deliveries"), 403, "permission_denied", "permission");
            assertProblem(client.delete("/api/webhooks/endpoints/" + id), 403, "permission_denied", "permission");
        }
        TestAccounts.Key admin = accounts.key("admin");
        GatewayClient.Response created = anonymous.withKey(admin.secret()).post("/api/webhooks/endpoints",
                Map.of("url", url(), "events", List.of("job.completed")));
        assertThat(created.status()).as(created.describe()).isEqualTo(201);
        endpoints.add(Map.entry(owner, created.get("id")));
        assertThat(owner.get("/api/webhooks/endpoints/" + id).status()).isEqualTo(200);
    }
}
