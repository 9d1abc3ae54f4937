package io.aimp.gateway.api;

import io.aimp.gateway.support.CheckedAgainstOpenApi;
import static org.assertj.core.api.Assertions.assertThat;

import io.aimp.gateway.support.GatewayClient.Response;
import io.aimp.gateway.support.GatewayHttpTest;
import io.aimp.gateway.support.RawHttp;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** JSON answers go out with a Content-Length, not chunked: one write for headers and body. */
@CheckedAgainstOpenApi
class JsonAnswerFramingTest extends GatewayHttpTest {

    private static void assertSized(Response r) {
        assertThat(r.header("Transfer-Encoding")).as(r.describe()).isNull();
        assertThat(r.header("Content-Length")).as(r.describe()).isEqualTo(String.valueOf(r.body().length));
        assertThat(r.body().length).isPositive();
    }

    @Test
    void should_send_a_public_json_answer_with_its_length() {
        Response r = RawHttp.exchange(port, "GET /api/status HTTP/1.1", List.of(), null);

        assertThat(r.status()).isEqualTo(200);
        assertSized(r);
    }

    @Test
    void should_send_a_run_and_a_problem_with_their_length() {
        byte[] run = "{\"model\":\"demo-model\",\"input\":{\"text\":\"Hello there. This is a test.\"}}".getBytes(StandardCharsets.UTF_8);
        List<String> headers = List.of("X-API-Key: " + OWNER_KEY, "Content-Type: application/json", "Content-Length: " + run.length);

        Response ok = RawHttp.exchange(port, "POST /api/runs HTTP/1.1", headers, run);
        Response missing = RawHttp.exchange(port, "GET /api/runs/run_doesnotexist HTTP/1.1", List.of("X-API-Key: " + OWNER_KEY), null);

        assertThat(ok.status()).as(ok.describe()).isEqualTo(200);
        assertSized(ok);
        assertThat(missing.status()).as(missing.describe()).isEqualTo(404);
        assertSized(missing);
    }
}
