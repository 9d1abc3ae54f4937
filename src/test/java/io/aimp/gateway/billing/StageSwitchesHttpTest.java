package io.aimp.gateway.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aimp.gateway.Application;
import io.aimp.gateway.billing.GatewayHarness.Response;
import io.aimp.gateway.billing.GatewayHarness.Workspace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The three stage switches ({@code aimp.billing.enabled}, {@code aimp.limits.enabled},
 * {@code aimp.idempotency.enabled}) turn their stage off at start-up: runs are neither charged, nor
 * counted against limits, nor deduplicated by {@code Idempotency-Key}, and still succeed.
 */
class StageSwitchesHttpTest extends HarnessHttpTest {

    @DynamicPropertySource
    static void switches(DynamicPropertyRegistry registry) {
        registry.add("aimp.billing.enabled", () -> "false");
        registry.add("aimp.limits.enabled", () -> "false");
        registry.add("aimp.idempotency.enabled", () -> "false");
    }

    /** The workspace's balance; 0 when it has no wallet row (never topped up). */
    long balance(String workspaceId) {
        return count("select coalesce(sum(balance), 0) from wallets where workspace_id = ?", workspaceId);
    }

    @Test
    void should_run_without_charging_when_billing_is_off() {
        // given an empty wallet, which would refuse every paid run
        Workspace ws = client.workspace("0");

        Response run = client.run(ws.key(), "paid-summary", "Summarise this sentence. And this one.", Map.of());

        assertThat(run.status()).as(run.describe()).isEqualTo(200);
        assertThat(balance(ws.id())).isZero();
        assertThat(count("select count(*) from ledger_entries where workspace_id = ? and kind = 'charge'", ws.id())).isZero();
    }

    @Test
    void should_admit_past_a_key_limit_when_limits_are_off() {
        Workspace ws = client.workspace("0");
        Response put = client.put(ws.key(), "/api/keys/" + ws.keyId() + "/limits", Map.of("requests_per_minute", 1));
        assertThat(put.status()).as(put.describe()).isEqualTo(200);

        for (int i = 0; i < 3; i++) {
            Response run = client.run(ws.key(), "paid-summary", "Rate test " + i + ".", Map.of());
            assertThat(run.status()).as(run.describe()).isEqualTo(200);
        }
    }

    @Test
    void should_ignore_the_idempotency_key_when_idempotency_is_off() {
        Workspace ws = client.workspace("0");
        Map<String, String> key = Map.of("Idempotency-Key", "switches-test-key");

        Response first = client.run(ws.key(), "paid-summary", "First text.", key);
        Response other = client.run(ws.key(), "paid-summary", "Another text under the same key.", key);

        // with the stage on, the second would be refused as idempotency_key_mismatch
        assertThat(first.status()).as(first.describe()).isEqualTo(200);
        assertThat(other.status()).as(other.describe()).isEqualTo(200);
        assertThat(other.json().get("id").asString()).isNotEqualTo(first.json().get("id").asString());
        assertThat(count("select count(*) from idempotency_keys")).isZero();
    }

    @Test
    void should_stop_start_up_naming_a_switch_that_is_not_a_boolean() throws Exception {
        Path dir = Files.createTempDirectory("aimp-switches-bad");
        List<String> args = new ArrayList<>();
        GatewayHarness.properties(dir).forEach((k, v) -> args.add("--" + k + "=" + v));
        args.addAll(List.of("--server.port=0", "--aimp.limits.enabled=maybe"));
        String[] withBad = args.toArray(String[]::new);

        assertThatThrownBy(() -> SpringApplication.run(Application.class, withBad).close())
                .hasRootCauseInstanceOf(IllegalArgumentException.class)
                .satisfies(e -> assertThat(causes(e)).anySatisfy(c -> assertThat(c).isInstanceOf(BindException.class)
                        .hasMessageContaining("aimp.limits.enabled")));
    }

    private static List<Throwable> causes(Throwable e) {
        List<Throwable> all = new ArrayList<>();
        for (Throwable t = e; t != null && all.size() < 20; t = t.getCause()) {
            all.add(t);
        }
        return all;
    }
}
