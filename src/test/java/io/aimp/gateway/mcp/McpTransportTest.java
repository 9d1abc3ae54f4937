package io.aimp.gateway.mcp;

import static io.aimp.gateway.support.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.aimp.gateway.support.CheckedAgainstOpenApi;
import io.aimp.gateway.support.GatewayClient;
import io.aimp.gateway.support.TestSecrets;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The Streamable HTTP and JSON-RPC rules of /mcp, over plain HTTP. */
@CheckedAgainstOpenApi
class McpTransportTest extends McpHttpTest {

    private static final Map<String, Object> INITIALIZE = Map.of("jsonrpc", "2.0", "id", 1, "method", "initialize",
            "params", Map.of("protocolVersion", "2025-11-25", "capabilities", Map.of(),
                    "clientInfo", Map.of("name", "test", "version", "1")));

    @Test
    void should_answer_401_problem_json_before_any_json_rpc_without_a_valid_key() {
        GatewayClient.Response noKey = anonymous.post("/mcp", INITIALIZE);
        GatewayClient.Response badKey = anonymous.withKey(TestSecrets.apiKey()).post("/mcp", INITIALIZE);

        for (GatewayClient.Response r : List.of(noKey, badKey)) {
            assertThat(r.status()).as(r.describe()).isEqualTo(401);
            assertThat(r.contentType()).startsWith("application/problem+json");
            assertThat(r.header("Mcp-Session-Id")).isNull();
            assertThat(r.json().has("jsonrpc")).isFalse();
        }
        JsonNode p = assertProblem(noKey, 401, "authentication_required", "authentication");
        assertThat(p.path("detail").asString()).contains("X-API-Key").doesNotContainIgnoringCase("bearer");
    }

    @Test
    void should_offer_its_newest_version_when_the_client_asks_for_an_unknown_one() {
        Session s = initialize(owner, "1999-01-01");

        assertThat(s.protocolVersion()).isEqualTo("2025-11-25");
        assertThat(initialize(owner, "2025-06-18").protocolVersion()).isEqualTo("2025-06-18");
    }

    @Test
    void should_require_a_live_session_of_the_same_key() {
        Session s = initialize(owner, "2025-11-25");
        Map<String, Object> ping = Map.of("jsonrpc", "2.0", "id", 2, "method", "ping");

        assertThat(owner.post("/mcp", ping).status()).isEqualTo(400);
        GatewayClient other = owner.withKey(accounts.key("member").secret()).withHeader("Mcp-Session-Id", s.id());
        assertThat(other.post("/mcp", ping).status()).isEqualTo(404);
        assertThat(s.call("ping", Map.of()).json().path("result").isObject()).isTrue();

        assertThat(s.client().delete("/mcp").status()).isEqualTo(204);
        assertThat(s.call("ping", Map.of()).status()).isEqualTo(404);
    }

    @Test
    void should_answer_problem_json_to_a_delete_without_a_session_or_of_an_ended_one() {
        Session s = initialize(owner, "2025-11-25");
        GatewayClient other = owner.withKey(accounts.key("member").secret()).withHeader("Mcp-Session-Id", s.id());

        assertProblem(owner.delete("/mcp"), 400, "session_id_required", "invalid_request");
        assertProblem(other.delete("/mcp"), 404, "not_found", "invalid_request");
        assertThat(s.client().delete("/mcp").status()).isEqualTo(204);
        JsonNode again = assertProblem(s.client().delete("/mcp"), 404, "not_found", "invalid_request");
        assertThat(again.path("detail").asString()).contains("MCP session");
    }

    @Test
    void should_refuse_a_protocol_version_header_that_is_not_the_negotiated_one() {
        Session s = initialize(owner, "2025-11-25");

        GatewayClient.Response r = s.client().withHeader("MCP-Protocol-Version", "2025-06-18").post("/mcp",
                Map.of("jsonrpc", "2.0", "id", 2, "method", "ping"));

        assertThat(r.status()).as(r.describe()).isEqualTo(400);
        assertThat(r.json().path("error").path("code").asInt()).isEqualTo(JsonRpc.INVALID_REQUEST);
    }

    @Test
    void should_use_json_rpc_error_codes_for_protocol_errors() {
        Session s = initialize(owner, "2025-11-25");

        assertThat(s.call("prompts/list", Map.of()).json().path("error").path("code").asInt())
                .isEqualTo(JsonRpc.METHOD_NOT_FOUND);
        GatewayClient.Response unknownTool = s.call("tools/call", Map.of("name", "no-such__tool", "arguments", Map.of()));
        assertThat(unknownTool.json().path("error").path("code").asInt()).isEqualTo(JsonRpc.INVALID_PARAMS);
        assertThat(s.call("tools/call", Map.of("arguments", Map.of())).json().path("error").path("code").asInt())
                .isEqualTo(JsonRpc.INVALID_PARAMS);
        assertThat(s.call("resources/read", Map.of("uri", "aimp://models/nope")).json().path("error").path("code").asInt())
                .isEqualTo(JsonRpc.RESOURCE_NOT_FOUND);
        GatewayClient.Response broken = s.client().send("POST", "/mcp", "application/json",
                "{\"jsonrpc\":".getBytes(StandardCharsets.UTF_8));
        assertThat(broken.status()).isEqualTo(400);
        assertThat(broken.json().path("error").path("code").asInt()).isEqualTo(JsonRpc.PARSE_ERROR);
        GatewayClient.Response notRpc = s.client().post("/mcp", Map.of("method", "ping", "id", 3));
        assertThat(notRpc.status()).isEqualTo(400);
        assertThat(notRpc.json().path("error").path("code").asInt()).isEqualTo(JsonRpc.INVALID_REQUEST);
    }

    @Test
    void should_refuse_an_unknown_argument_as_a_tool_error() {
        Session s = initialize(owner, "2025-11-25");

        GatewayClient.Response r = s.call("tools/call", Map.of("name", "demo-model__execute",
                "arguments", Map.of("input", Map.of("text", "Hi."), "hardware_tier", "gpu")));

        assertThat(r.json().path("result").path("isError").asBoolean()).isTrue();
        assertThat(r.json().path("result").path("content").get(0).path("text").asString()).startsWith("unknown_argument:");
    }

    @Test
    void should_accept_batches_only_on_the_revision_that_had_them() {
        List<Map<String, Object>> batch = List.of(Map.of("jsonrpc", "2.0", "id", 2, "method", "ping"),
                Map.of("jsonrpc", "2.0", "id", 3, "method", "tools/list"));

        GatewayClient.Response current = initialize(owner, "2025-11-25").client().post("/mcp", batch);
        GatewayClient.Response old = initialize(owner, "2025-03-26").client().post("/mcp", batch);

        assertThat(current.status()).as(current.describe()).isEqualTo(400);
        assertThat(old.status()).as(old.describe()).isEqualTo(200);
        assertThat(old.json()).hasSize(2);
        assertThat(old.json().get(1).path("result").path("tools").isArray()).isTrue();
    }

    @Test
    void should_answer_406_with_a_json_rpc_error_when_accept_leaves_out_json() {
        Session s = initialize(owner, "2025-11-25");

        GatewayClient.Response r = s.client().withHeader("Accept", "text/event-stream").post("/mcp",
                Map.of("jsonrpc", "2.0", "id", 2, "method", "ping"));

        assertThat(r.status()).as(r.describe()).isEqualTo(406);
        assertThat(r.contentType()).startsWith("application/json");
        assertThat(r.json().path("id").isNull()).isTrue();
        assertThat(r.json().path("error").path("code").asInt()).isEqualTo(JsonRpc.INVALID_REQUEST);
    }

    @Test
    void should_answer_405_to_get_and_403_to_a_foreign_origin() {
        Session s = initialize(owner, "2025-11-25");

        GatewayClient.Response get = s.client().get("/mcp");
        JsonNode p = assertProblem(get, 405, "stream_not_offered", "invalid_request");
        assertThat(p.path("detail").asString()).contains("offers no server-initiated event stream").contains("POST /mcp");
        assertThat(get.header("Allow")).isEqualTo("POST, DELETE");
        GatewayClient.Response foreign = s.client().withHeader("Origin", "http://evil.example").post("/mcp",
                Map.of("jsonrpc", "2.0", "id", 2, "method", "ping"));
        assertThat(foreign.status()).isEqualTo(403);
        GatewayClient.Response local = s.client().withHeader("Origin", "http://localhost:3000").post("/mcp",
                Map.of("jsonrpc", "2.0", "id", 2, "method", "ping"));
        assertThat(local.status()).isEqualTo(200);
    }
}
