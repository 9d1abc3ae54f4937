package io.aimp.gateway.billing;

import static org.assertj.core.api.Assertions.assertThat;

import io.aimp.gateway.billing.GatewayHarness.Response;
import io.aimp.gateway.billing.GatewayHarness.Workspace;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * {@code AIMP_REDIS_URL} names a Redis that is not there and {@code aimp.limits.redis-unavailable} is
 * {@code deny}: a run that a limit applies to is refused with a clear problem, at once; a run without
 * limits never needs Redis; nothing is charged for a refusal.
 */
class LimitsRedisUnavailableHttpTest extends HarnessHttpTest {

    @DynamicPropertySource
    static void redis(DynamicPropertyRegistry registry) {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        registry.add("aimp.redis.url", () -> "redis://127.0.0.1:" + closed);
        registry.add("aimp.redis.command-timeout", () -> "250ms");
        registry.add("aimp.limits.redis-unavailable", () -> "deny");
    }

    @Test
    void should_answer_503_limits_unavailable_for_a_limited_key_and_run_unlimited_ones() {
        Workspace ws = client.workspace("10");
        Response free = client.run(ws.key(), "paid-summary", "No limit applies to this run.", Map.of());
        assertThat(free.status()).as(free.describe()).isEqualTo(200);
        long balance = micros(ws.id(), "balance");

        Response put = client.put(ws.key(), "/api/keys/" + ws.keyId() + "/limits", Map.of("requests_per_minute", 100));
        assertThat(put.status()).as(put.describe()).isEqualTo(200);
        Response refused = client.run(ws.key(), "paid-summary", "A limited run.", Map.of());

        assertThat(refused.status()).as(refused.describe()).isEqualTo(503);
        assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
        assertThat(refused.header("Retry-After")).isEqualTo("1");
        assertThat(refused.json().get("code").asString()).isEqualTo("limits_unavailable");
        assertThat(refused.json().get("detail").asString()).contains("aimp.limits.redis-unavailable");
        assertThat(refused.json().get("request_id").asString()).isNotBlank();
        assertThat(refused.raw().body()).doesNotContain("127.0.0.1").doesNotContain("Exception");
        assertThat(micros(ws.id(), "balance")).isEqualTo(balance);
    }

    @Test
    void should_report_cluster_wide_limits_as_a_feature() {
        Workspace ws = client.workspace("0");

        Response features = client.get(ws.key(), "/api/status/features");

        assertThat(features.status()).as(features.describe()).isEqualTo(200);
        assertThat(features.json().path("features").path("cluster_limits").asBoolean()).as(features.describe()).isTrue();
    }
}
