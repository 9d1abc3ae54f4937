package io.aimp.gateway.runs;

import io.aimp.gateway.support.CheckedAgainstOpenApi;
import static io.aimp.gateway.support.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.aimp.gateway.support.GatewayClient.Response;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Every refusal of {@code POST /api/runs} names its code and the field to fix. */
@CheckedAgainstOpenApi
class RunValidationTest extends RunsHttpTest {

    private Response run(String body) {
        return owner.post("/api/runs", body);
    }

    private static String firstPath(JsonNode problem) {
        return problem.path("errors").path(0).path("path").asString();
    }

    @Test
    void should_refuse_unknown_top_level_fields() {
        JsonNode p = assertProblem(run("{\"model\":\"demo-model\",\"input\":{\"text\":\"a\"},\"priority\":1}"),
                400, "unknown_field", "invalid_request");
        assertThat(firstPath(p)).isEqualTo("$.priority");
    }

    @Test
    void should_say_use_params_when_parameters_is_sent() {
        JsonNode p = assertProblem(run("{\"model\":\"demo-model\",\"input\":{\"text\":\"a\"},\"parameters\":{}}"),
                400, "use_params", "invalid_request");
        assertThat(p.path("detail").asString()).contains("use params");
        assertThat(firstPath(p)).isEqualTo("$.parameters");
    }

    @Test
    void should_refuse_hardware_tier_anywhere() {
        for (String body : List.of(
                "{\"model\":\"demo-model\",\"input\":{\"text\":\"a\"},\"hardware_tier\":\"gpu\"}",
                "{\"model\":\"demo-model\",\"input\":{\"text\":\"a\"},\"options\":{\"hardware_tier\":\"gpu\"}}",
                "{\"model\":\"demo-model\",\"input\":{\"text\":\"a\",\"x\":[{\"hardware_tier\":1}]}}")) {
            JsonNode p = assertProblem(run(body), 400, "hardware_tier_not_allowed", "invalid_request");
            assertThat(p.path("detail").asString()).contains("hardware is resolved from the published model release");
            assertThat(firstPath(p)).endsWith("hardware_tier");
        }
    }

    @Test
    void should_refuse_vector_routing_fields() {
        for (String field : List.of("resources", "alias", "collection", "namespace")) {
            JsonNode p = assertProblem(run("{\"model\":\"demo-model\",\"input\":{\"text\":\"a\"},\"" + field + "\":\"x\"}"),
                    400, "vector_routing_not_allowed", "invalid_request");
            assertThat(p.path("detail").asString()).contains("vector routing is managed by the platform");
            assertThat(firstPath(p)).isEqualTo("$." + field);
        }
        JsonNode p = assertProblem(run("{\"model\":\"demo-model\",\"input\":{\"text\":\"a\"},\"params\":{\"collection\":\"c\"}}"),
                400, "vector_routing_not_allowed", "invalid_request");
        assertThat(firstPath(p)).isEqualTo("$.params.collection");
    }

    @Test
    void should_refuse_params_that_is_not_an_object() {
        for (String params : List.of("[]", "\"x\"", "3", "true")) {
            JsonNode p = assertProblem(run("{\"model\":\"demo-model\",\"input\":{\"text\":\"a\"},\"params\":" + params + "}"),
                    400, "params_not_object", "invalid_request");
            assertThat(firstPath(p)).isEqualTo("$.params");
        }
    }

    @Test
    void should_require_model_and_an_input_object() {
        assertThat(firstPath(assertProblem(run("{\"input\":{\"text\":\"a\"}}"), 400, "missing_model", "invalid_request")))
                .isEqualTo("$.model");
        assertThat(firstPath(assertProblem(run("{\"model\":\"demo-model\"}"), 400, "missing_input", "invalid_request")))
                .isEqualTo("$.input");
        assertThat(firstPath(assertProblem(run("{\"model\":\"demo-model\",\"input\":\"text\"}"), 400, "input_not_object",
                "invalid_request"))).isEqualTo("$.input");
        assertProblem(run("[1,2]"), 400, "invalid_body", "invalid_request");
    }

    @Test
    void should_require_a_valid_scope_on_a_vector_mode() {
        JsonNode missing = assertProblem(run("{\"model\":\"contract-model\",\"mode\":\"search\",\"input\":{\"query\":\"q\"}}"),
                400, "scope_required", "invalid_request");
        assertThat(firstPath(missing)).isEqualTo("$.scope");
        for (String bad : List.of("\"\"", "\"-starts-with-dash\"", "\"has space\"", "\"" + "a".repeat(65) + "\"", "12")) {
            JsonNode p = run("{\"model\":\"contract-model\",\"mode\":\"search\",\"scope\":" + bad + ",\"input\":{\"query\":\"q\"}}").json();
            assertThat(p.path("code").asString()).isIn("invalid_scope");
            assertThat(firstPath(p)).isEqualTo("$.scope");
        }
    }

    @Test
    void should_validate_an_optional_scope_on_other_modes_too() {
        JsonNode p = assertProblem(run("{\"model\":\"demo-model\",\"scope\":\"bad scope\",\"input\":{\"text\":\"a\"}}"),
                400, "invalid_scope", "invalid_request");
        assertThat(firstPath(p)).isEqualTo("$.scope");
    }

    @Test
    void should_list_the_modes_when_the_mode_is_not_on_the_contract() {
        JsonNode p = assertProblem(run("{\"model\":\"contract-model\",\"mode\":\"index\",\"scope\":\"s\",\"input\":{}}"),
                400, "unknown_mode", "invalid_request");
        assertThat(p.path("detail").asString()).contains("execute, search");
        assertThat(firstPath(p)).isEqualTo("$.mode");
    }

    @Test
    void should_list_the_modes_when_the_mode_is_not_even_a_mode_name() {
        for (String mode : new String[] {"no-such-mode", "Execute", "", "x".repeat(300)}) {
            JsonNode p = assertProblem(run("{\"model\":\"contract-model\",\"mode\":\"" + mode + "\",\"input\":{}}"),
                    400, "unknown_mode", "invalid_request");
            assertThat(p.path("detail").asString()).as(mode).contains("its modes are: execute, search").hasSizeLessThan(300);
            assertThat(firstPath(p)).isEqualTo("$.mode");
            assertThat(p.path("errors").get(0).path("message").asString()).isEqualTo("one of: execute, search");
        }
    }

    @Test
    void should_list_every_input_violation_with_its_json_path() {
        JsonNode p = assertProblem(run("{\"model\":\"contract-model\",\"input\":{\"count\":9,\"extra\":true}}"),
                400, "invalid_input", "invalid_request");
        assertThat(p.path("errors").findValuesAsString("path"))
                .containsExactlyInAnyOrder("$.input.prompt", "$.input.count", "$.input.extra");
    }

    @Test
    void should_validate_params_against_the_contract() {
        JsonNode p = assertProblem(run("{\"model\":\"contract-model\",\"input\":{\"prompt\":\"p\",\"count\":1},"
                + "\"params\":{\"temperature\":5,\"top_k\":3}}"), 400, "invalid_params", "invalid_request");
        assertThat(p.path("errors").findValuesAsString("path"))
                .containsExactlyInAnyOrder("$.params.temperature", "$.params.top_k");
    }

    @Test
    void should_refuse_unknown_options_and_bad_timeouts() {
        assertThat(firstPath(assertProblem(run("{\"model\":\"demo-model\",\"input\":{\"text\":\"a\"},\"options\":{\"stream\":true}}"),
                400, "unknown_option", "invalid_request"))).isEqualTo("$.options.stream");
        assertThat(firstPath(assertProblem(run("{\"model\":\"demo-model\",\"input\":{\"text\":\"a\"},\"options\":{\"timeout_ms\":0}}"),
                400, "invalid_option", "invalid_request"))).isEqualTo("$.options.timeout_ms");
    }

    @Test
    void should_answer_404_for_an_unknown_model_or_one_private_to_another_workspace() {
        assertProblem(run("{\"model\":\"no-such-model\",\"input\":{}}"), 404, "model_not_found", "invalid_request");
        assertProblem(run("{\"model\":\"private-model\",\"input\":{\"text\":\"a\"}}"), 404, "model_not_found", "invalid_request");
    }

    @Test
    void should_accept_a_model_by_id_as_well_as_by_slug() {
        String id = owner.get("/api/marketplace/models/demo-model").json().path("id").asString();
        Response r = run("{\"model\":\"" + id + "\",\"input\":{\"text\":\"One sentence.\"}}");
        assertThat(r.status()).as(r.describe()).isEqualTo(200);
        assertThat(r.json().path("model").asString()).isEqualTo("demo-model");
    }

    @Test
    void should_forbid_a_model_outside_the_key_allowlist() {
        var key = accounts.key(Map.of("name", "only-contract", "role", "member", "models", List.of("contract-model")));
        var client = anonymous.withKey(key.secret());
        JsonNode p = assertProblem(client.post("/api/runs", "{\"model\":\"demo-model\",\"input\":{\"text\":\"a\"}}"),
                403, "model_not_allowed", "permission");
        assertThat(firstPath(p)).isEqualTo("$.model");
        Response allowed = client.post("/api/runs", "{\"model\":\"contract-model\",\"input\":{\"prompt\":\"p\",\"count\":2}}");
        assertThat(allowed.status()).as(allowed.describe()).isEqualTo(200);
    }

    @Test
    void should_forbid_runs_to_a_viewer() {
        var viewer = anonymous.withKey(accounts.key("viewer").secret());
        assertProblem(viewer.post("/api/runs", "{\"model\":\"demo-model\",\"input\":{\"text\":\"a\"}}"),
                403, "permission_denied", "permission");
    }

    @Test
    void should_refuse_nul_characters_in_input() {
        JsonNode p = assertProblem(run("{\"model\":\"demo-model\",\"input\":{\"text\":\"a\\u0000b\"}}"),
                400, "invalid_character", "invalid_request");
        assertThat(firstPath(p)).isEqualTo("$.input.text");
    }

    @Test
    void should_answer_404_for_a_run_of_another_workspace_or_an_unknown_one() {
        Response created = run("{\"model\":\"demo-model\",\"input\":{\"text\":\"Hello there.\"}}");
        String runId = created.json().path("id").asString();
        var other = otherWorkspace();
        assertProblem(other.get("/api/runs/" + runId), 404, "not_found", "invalid_request");
        assertProblem(other.post("/api/runs/" + runId + "/cancel", "{}"), 404, "not_found", "invalid_request");
        assertThat(other.get("/api/runs").json().path("data").findValuesAsString("id")).doesNotContain(runId);
        assertProblem(owner.get("/api/runs/run_nope"), 404, "not_found", "invalid_request");
    }
}
