package io.aimp.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.aimp.gateway.support.GatewayClient.Response;
import io.aimp.gateway.support.GatewayHttpTest;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.TestPropertySource;

/** With {@code aimp.http.lean-runs=false}, Spring MVC's dispatcher answers {@code POST /api/runs} as every other route. */
@Import(LeanRoutesHttpTest.Dispatched.class)
@TestPropertySource(properties = "aimp.http.lean-runs=false")
class LeanRoutesOffHttpTest extends GatewayHttpTest {

    @Test
    void should_dispatch_a_run_when_the_lean_path_is_off() {
        LeanRoutesHttpTest.DISPATCHED.clear();

        Response run = owner.post("/api/runs", Map.of("model", "demo-model", "input", Map.of("text", "Hello there.")));

        assertThat(run.status()).as(run.describe()).isEqualTo(200);
        assertThat(run.json().path("status").asString()).isEqualTo("succeeded");
        // what the lean path answers too (LeanRoutesHttpTest)
        assertThat(run.contentType()).isEqualTo("application/json");
        assertThat(run.header("Content-Length")).isEqualTo(String.valueOf(run.body().length));
        assertThat(LeanRoutesHttpTest.DISPATCHED).containsExactly("POST /api/runs");
    }
}
