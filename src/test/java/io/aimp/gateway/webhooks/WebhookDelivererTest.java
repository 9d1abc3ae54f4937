package io.aimp.gateway.webhooks;

import static io.aimp.gateway.support.ScriptedResolver.address;
import static io.aimp.gateway.support.ScriptedResolver.fresh;
import static io.aimp.gateway.support.ScriptedResolver.script;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.aimp.gateway.egress.EgressClient;
import io.aimp.gateway.egress.EgressPolicy;
import io.aimp.gateway.storage.Dialect;
import io.aimp.gateway.storage.TestDatabases;
import io.aimp.gateway.support.TestClock;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
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
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Deliveries against a receiver on 127.0.0.1 (a scripted name on the allowlist resolves to it; the test's
 * address rule lets loopback through), one attempt at a time, with a clock the test moves: signatures a
 * receiver can check, retries with backoff, the attempts cap, and the egress policy's refusals.
 */
class WebhookDelivererTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    record Received(Map<String, String> headers, String body) {
    }

    TestDatabases.TestDatabase db;
    JdbcWebhookStore store;
    TestClock clock = new TestClock();
    HttpServer receiver;
    final List<Received> received = new CopyOnWriteArrayList<>();
    final List<Integer> answers = new CopyOnWriteArrayList<>();
    final AtomicInteger calls = new AtomicInteger();
    final CountDownLatch hang = new CountDownLatch(1);
    volatile boolean hanging;
    String host;

    @BeforeEach
    void start() throws IOException {
        db = TestDatabases.sqlite();
        db.database().jdbc().sql("insert into workspaces (id, name, created_at) values ('ws_1', 'one', 0)").update();
        store = new JdbcWebhookStore(db.database());
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/", x -> {
            int n = calls.getAndIncrement();
            String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            received.add(new Received(Map.of(
                    "webhook-id", String.valueOf(x.getRequestHeaders().getFirst("webhook-id")),
                    "webhook-timestamp", String.valueOf(x.getRequestHeaders().getFirst("webhook-timestamp")),
                    "webhook-signature", String.valueOf(x.getRequestHeaders().getFirst("webhook-signature")),
                    "content-type", String.valueOf(x.getRequestHeaders().getFirst("Content-Type"))), body));
            if (hanging) {
                try {
                    hang.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            int status = n < answers.size() ? answers.get(n) : 200;
            x.sendResponseHeaders(status, -1);
            x.close();
        });
        receiver.start();
        host = fresh("hooks");
        script(host, List.of(address("127.0.0.1")));
    }

    @AfterEach
    void stop() {
        hang.countDown();
        receiver.stop(0);
        db.close();
    }

    private WebhookProperties properties(int maxAttempts, Duration timeout) {
        return new WebhookProperties(List.of(host), timeout, maxAttempts, Duration.ofSeconds(1), Duration.ofMinutes(1), 1, 10);
    }

    private WebhookEgress egress(WebhookProperties p) {
        return new WebhookEgress(new EgressClient(EgressPolicy.of(WebhookProperties.ALLOWLIST, p.allowedHosts(), 0,
                p.timeout(), 4096).withAddressCheck(a -> a.isLoopbackAddress())));
    }

    private record Parts(WebhookService service, WebhookDeliverer deliverer) {
    }

    private Parts parts(WebhookProperties p) {
        WebhookEgress egress = egress(p);
        WebhookService service = new WebhookService(store, p, egress, JSON, clock,
                List.of(new WebhookEventType("run.completed", "test")));
        return new Parts(service, new WebhookDeliverer(store, p, egress, service, clock, db.database()));
    }

    private String url() {
        return "http://" + host + ":" + receiver.getAddress().getPort() + "/hooks";
    }

    private WebhookEndpoint registered(String url) {
        WebhookEndpoint e = new WebhookEndpoint("whe_1", "ws_1", url, List.of("run.completed"), WebhookSignature.newSecret(),
                null, "usr_1", clock.millis());
        assertThat(store.insertEndpoint(e, 10)).isTrue();
        return e;
    }

    /** Claims what is due now and makes each attempt, as the loop would. */
    private int attemptDue(WebhookDeliverer deliverer) {
        List<WebhookStore.Claimed> due = store.claim(10, clock.millis(), clock.millis() + 60_000);
        due.forEach(deliverer::deliver);
        return due.size();
    }

    private WebhookDelivery only() {
        List<WebhookDelivery> all = store.deliveries("ws_1", "whe_1", 10, 0);
        assertThat(all).hasSize(1);
        return all.getFirst();
    }

    /** What a receiver does, written from the documented scheme (not with the gateway's code). */
    private static boolean verifies(String secret, Received r) throws Exception {
        byte[] key = Base64.getDecoder().decode(secret.substring("whsec_".length()));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        String signed = r.headers().get("webhook-id") + "." + r.headers().get("webhook-timestamp") + "." + r.body();
        String expected = "v1," + Base64.getEncoder().encodeToString(mac.doFinal(signed.getBytes(StandardCharsets.UTF_8)));
        return java.security.MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                r.headers().get("webhook-signature").getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void should_sign_a_delivery_so_the_receiver_can_verify_it_with_the_endpoint_secret() throws Exception {
        // given an endpoint subscribed to run.completed
        Parts p = parts(properties(3, Duration.ofSeconds(10)));
        WebhookEndpoint endpoint = registered(url());

        // when an event is published and its delivery attempted
        assertThat(p.service().publish("ws_1", "run.completed", Map.of("id", "run_1", "status", "succeeded"))).isEqualTo(1);
        assertThat(attemptDue(p.deliverer())).isEqualTo(1);

        // then the receiver got the event, signed and timestamped
        assertThat(received).hasSize(1);
        Received r = received.getFirst();
        assertThat(verifies(endpoint.secret(), r)).isTrue();
        assertThat(verifies(WebhookSignature.newSecret(), r)).as("another secret").isFalse();
        assertThat(r.headers().get("webhook-timestamp")).isEqualTo(Long.toString(clock.millis() / 1000));
        assertThat(r.headers().get("content-type")).isEqualTo("application/json");
        JsonNode event = JSON.readTree(r.body());
        assertThat(event.path("id").asString()).isEqualTo(r.headers().get("webhook-id")).startsWith("evt_");
        assertThat(event.path("type").asString()).isEqualTo("run.completed");
        assertThat(event.path("workspace_id").asString()).isEqualTo("ws_1");
        assertThat(event.path("data").path("id").asString()).isEqualTo("run_1");
        WebhookDelivery d = only();
        assertThat(d.status()).isEqualTo(DeliveryStatus.SUCCEEDED);
        assertThat(d.attempts()).isEqualTo(1);
        assertThat(d.responseStatus()).isEqualTo(200);
    }

    @Test
    void should_retry_after_a_500_with_doubling_backoff_under_the_same_event_id_until_delivered() throws Exception {
        // given a receiver that answers 500 twice, then 200
        answers.addAll(List.of(500, 500));
        Parts p = parts(properties(5, Duration.ofSeconds(10)));
        WebhookEndpoint endpoint = registered(url());
        p.service().publish("ws_1", "run.completed", Map.of("id", "run_1"));

        // when the first attempt fails
        attemptDue(p.deliverer());
        WebhookDelivery after1 = only();
        assertThat(after1.status()).isEqualTo(DeliveryStatus.PENDING);
        assertThat(after1.responseStatus()).isEqualTo(500);
        assertThat(after1.lastError()).isEqualTo("the endpoint answered 500");
        assertThat(after1.nextAttemptAt()).isEqualTo(clock.millis() + 1_000);
        // then nothing is sent before the backoff (1 s) has passed
        clock.advance(Duration.ofMillis(999));
        assertThat(attemptDue(p.deliverer())).isZero();
        clock.advance(Duration.ofMillis(1));
        assertThat(attemptDue(p.deliverer())).isEqualTo(1);
        // the second wait is twice the first
        assertThat(only().nextAttemptAt()).isEqualTo(clock.millis() + 2_000);
        clock.advance(Duration.ofMillis(1_999));
        assertThat(attemptDue(p.deliverer())).isZero();
        clock.advance(Duration.ofMillis(1));
        assertThat(attemptDue(p.deliverer())).isEqualTo(1);

        // and the third attempt delivers it
        WebhookDelivery done = only();
        assertThat(done.status()).isEqualTo(DeliveryStatus.SUCCEEDED);
        assertThat(done.attempts()).isEqualTo(3);
        assertThat(done.lastError()).isNull();
        assertThat(received).hasSize(3);
        assertThat(received).extracting(r -> r.headers().get("webhook-id")).containsOnly(done.eventId());
        assertThat(received).extracting(r -> r.headers().get("webhook-timestamp")).doesNotHaveDuplicates();
        for (Received r : received) {
            assertThat(verifies(endpoint.secret(), r)).isTrue();
        }
    }

    @Test
    void should_fail_a_delivery_when_its_attempts_run_out() {
        answers.addAll(List.of(503, 503, 503));
        Parts p = parts(properties(2, Duration.ofSeconds(10)));
        registered(url());
        p.service().publish("ws_1", "run.completed", Map.of("id", "run_1"));

        attemptDue(p.deliverer());
        clock.advance(Duration.ofSeconds(1));
        attemptDue(p.deliverer());
        clock.advance(Duration.ofHours(1));
        assertThat(attemptDue(p.deliverer())).isZero();

        WebhookDelivery d = only();
        assertThat(d.status()).isEqualTo(DeliveryStatus.FAILED);
        assertThat(d.attempts()).isEqualTo(2);
        assertThat(d.responseStatus()).isEqualTo(503);
        assertThat(d.completedAt()).isNotNull();
        assertThat(received).hasSize(2);
    }

    @Test
    void should_send_nothing_to_a_host_that_is_not_on_the_allowlist_and_not_retry_it() {
        // given an endpoint whose host left the allowlist after it was registered (or that never was on it)
        Parts p = parts(properties(5, Duration.ofSeconds(10)));
        String other = fresh("elsewhere");
        script(other, List.of(address("127.0.0.1")));
        registered("http://" + other + ":" + receiver.getAddress().getPort() + "/hooks");
        p.service().publish("ws_1", "run.completed", Map.of("id", "run_1"));

        // when its delivery is attempted
        attemptDue(p.deliverer());

        // then nothing reached the receiver and the delivery failed for good, saying why
        assertThat(calls.get()).isZero();
        WebhookDelivery d = only();
        assertThat(d.status()).isEqualTo(DeliveryStatus.FAILED);
        assertThat(d.attempts()).isEqualTo(1);
        assertThat(d.lastError()).contains("is not on aimp.webhooks.allowed-hosts");
    }

    @Test
    void should_give_up_an_attempt_at_the_timeout_when_the_receiver_hangs_and_retry_it() {
        hanging = true;
        Parts p = parts(properties(3, Duration.ofMillis(500)));
        registered(url());
        p.service().publish("ws_1", "run.completed", Map.of("id", "run_1"));

        attemptDue(p.deliverer());

        WebhookDelivery d = only();
        assertThat(d.status()).isEqualTo(DeliveryStatus.PENDING);
        assertThat(d.responseStatus()).isNull();
        assertThat(d.lastError()).contains("did not answer within 500 ms");
    }

    @Test
    void should_send_again_at_start_what_a_stopped_gateway_left_in_flight() {
        // given a delivery whose attempt was in flight when the process died (claimed with a long lease)
        Parts before = parts(properties(3, Duration.ofSeconds(10)));
        registered(url());
        before.service().publish("ws_1", "run.completed", Map.of("id", "run_1"));
        assertThat(store.claim(10, clock.millis(), clock.millis() + 3_600_000)).hasSize(1);

        // when a new gateway starts on the same SQLite database
        Parts after = parts(properties(3, Duration.ofSeconds(10)));
        after.deliverer().run(null);
        try {
            // then the delivery is sent at once, as its second attempt, not an hour later
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30))
                    .until(() -> only().status() == DeliveryStatus.SUCCEEDED);
        } finally {
            try {
                after.deliverer().close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        assertThat(only().attempts()).isEqualTo(2);
        assertThat(received).hasSize(1);
    }

    @Test
    void should_queue_nothing_when_no_endpoint_subscribed_and_refuse_an_undeclared_type() {
        Parts p = parts(properties(3, Duration.ofSeconds(10)));
        assertThat(p.service().publish("ws_1", "run.completed", Map.of())).isZero();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> p.service().publish("ws_1", "run.started", Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("run.started");
    }
}
