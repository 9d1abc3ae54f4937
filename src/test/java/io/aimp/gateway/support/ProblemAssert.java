package io.aimp.gateway.support;

import static org.assertj.core.api.Assertions.assertThat;

import tools.jackson.databind.JsonNode;

/** Assertions on RFC 9457 problem answers as the gateway writes them. */
public final class ProblemAssert {

    private ProblemAssert() {
    }

    /** Status, {@code application/problem+json}, {@code code} and {@code category}. */
    public static JsonNode assertProblem(GatewayClient.Response r, int status, String code, String category) {
        JsonNode body = assertAnyProblem(r);
        assertThat(r.status()).as(r.describe()).isEqualTo(status);
        assertThat(body.path("status").asInt()).as(r.describe()).isEqualTo(status);
        assertThat(body.path("code").asString()).as(r.describe()).isEqualTo(code);
        assertThat(body.path("category").asString()).as(r.describe()).isEqualTo(category);
        return body;
    }

    /** Any well-formed problem: a content type of problem JSON and a body with a code and a request id. */
    public static JsonNode assertAnyProblem(GatewayClient.Response r) {
        assertThat(r.contentType()).as(r.describe()).startsWith("application/problem+json");
        JsonNode body = r.json();
        assertThat(body.path("code").asString("")).as(r.describe()).isNotBlank();
        assertThat(body.path("category").asString("")).as(r.describe()).isNotBlank();
        assertThat(body.path("request_id").asString("")).as(r.describe()).isNotBlank();
        assertThat(body.path("status").asInt()).as(r.describe()).isEqualTo(r.status());
        return body;
    }
}
