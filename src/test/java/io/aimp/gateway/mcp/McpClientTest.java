package io.aimp.gateway.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.aimp.gateway.support.CheckedAgainstOpenApi;
import io.aimp.gateway.support.GatewayClient;
import io.aimp.gateway.support.TestAccounts;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The MCP Java SDK client against the running gateway, over real HTTP with an X-API-Key. */
@CheckedAgainstOpenApi
class McpClientTest extends McpHttpTest {

    private McpSyncClient connect(String apiKey) {
        var transport = HttpClientStreamableHttpTransport.builder("http://127.0.0.1:" + port)
                .endpoint("/mcp")
                .httpRequestCustomizer((request, method, uri, body, context) -> request.header("X-API-Key", apiKey))
                .build();
        McpSyncClient client = McpClient.sync(transport).requestTimeout(Duration.ofSeconds(120)).build();
        client.initialize();
        return client;
    }

    private static String text(McpSchema.CallToolResult result) {
        return ((McpSchema.TextContent) result.content().getFirst()).text();
    }

    private static List<String> names(McpSyncClient client) {
        return client.listTools().tools().stream().map(McpSchema.Tool::name).toList();
    }

    @Test
    @SuppressWarnings("unchecked")
    void should_list_the_demo_model_as_a_tool_and_run_it_through_the_pipeline_marked_mcp() {
        try (McpSyncClient client = connect(OWNER_KEY)) {
            assertThat(client.getCurrentInitializationResult().protocolVersion()).isEqualTo("2025-11-25");

            McpSchema.Tool tool = client.listTools().tools().stream()
                    .filter(t -> t.name().equals("demo-model__execute")).findFirst().orElseThrow();
            Map<String, Object> props = (Map<String, Object>) tool.inputSchema().get("properties");
            Map<String, Object> input = (Map<String, Object>) props.get("input");
            assertThat(input.get("required")).isEqualTo(List.of("text"));
            assertThat(props).containsKeys("params", "scope", "idempotency_key");
            assertThat(tool.inputSchema().get("required")).isEqualTo(List.of("input"));
            assertThat(tool.outputSchema()).containsEntry("type", "object");
            assertThat(tool.description()).contains("Extractive summary");

            McpSchema.CallToolResult result = client.callTool(new McpSchema.CallToolRequest("demo-model__execute",
                    Map.of("input", Map.of("text", "The gateway keeps keys. It logs every run."))));

            assertThat(result.isError()).as(result.toString()).isFalse();
            assertThat((Map<String, Object>) result.structuredContent()).containsKey("text");
            String summary = (String) ((Map<String, Object>) result.structuredContent()).get("text");
            assertThat(summary).contains("The gateway keeps keys.");
            assertThat(GatewayClient.JSON.readTree(text(result)).path("text").asString()).isEqualTo(summary);
            String runId = (String) result.meta().get("io.aimp/run_id");
            JsonNode usage = owner.get("/api/logs/usage?run_id=" + runId).json().path("data");
            assertThat(usage).hasSize(1);
            assertThat(usage.get(0).path("entry_point").asString()).isEqualTo("mcp");
            assertThat(usage.get(0).path("status").asString()).isEqualTo("succeeded");
        }
    }

    @Test
    void should_answer_a_bad_argument_with_a_tool_error_that_names_the_field() {
        try (McpSyncClient client = connect(OWNER_KEY)) {
            McpSchema.CallToolResult result = client.callTool(new McpSchema.CallToolRequest("demo-model__execute",
                    Map.of("input", Map.of("text", 42))));

            assertThat(result.isError()).isTrue();
            assertThat(text(result)).startsWith("invalid_input: input does not match the contract of demo-model/execute")
                    .contains("$.input.text");
        }
    }

    @Test
    void should_require_scope_on_a_vector_mode_in_the_schema_and_in_the_call() {
        try (McpSyncClient client = connect(OWNER_KEY)) {
            McpSchema.Tool recall = client.listTools().tools().stream()
                    .filter(t -> t.name().equals("mcp-notes__recall")).findFirst().orElseThrow();
            assertThat(recall.inputSchema().get("required")).isEqualTo(List.of("input", "scope"));

            McpSchema.CallToolResult result = client.callTool(new McpSchema.CallToolRequest("mcp-notes__recall",
                    Map.of("input", Map.of("text", "hello"))));

            assertThat(result.isError()).isTrue();
            assertThat(text(result)).startsWith("scope_required:");
        }
    }

    @Test
    void should_show_a_key_with_a_one_model_allowlist_only_that_models_tools_and_refuse_the_others() {
        TestAccounts.Key key = accounts.key(Map.of("name", "mcp one model", "role", "member", "models", List.of("mcp-notes")));
        try (McpSyncClient client = connect(key.secret())) {
            assertThat(names(client)).containsExactlyInAnyOrder("mcp-notes__execute", "mcp-notes__recall");

            McpSchema.CallToolResult refused = client.callTool(new McpSchema.CallToolRequest("demo-model__execute",
                    Map.of("input", Map.of("text", "Not for this key."))));

            assertThat(refused.isError()).isTrue();
            assertThat(text(refused)).startsWith("model_not_allowed:");
            assertThat(client.listResources().resources()).extracting(McpSchema.Resource::uri)
                    .containsExactlyInAnyOrder("aimp://knowledge-bases", "aimp://models/mcp-notes");
        }
    }

    @Test
    void should_list_no_tools_for_a_viewer_key_and_refuse_its_calls_with_permission_denied() {
        TestAccounts.Key viewer = accounts.key("viewer");
        try (McpSyncClient client = connect(viewer.secret())) {
            assertThat(names(client)).isEmpty();

            McpSchema.CallToolResult refused = client.callTool(new McpSchema.CallToolRequest("demo-model__execute",
                    Map.of("input", Map.of("text", "Viewers only look."))));

            assertThat(refused.isError()).isTrue();
            assertThat(text(refused)).startsWith("permission_denied:");
        }
    }

    @Test
    void should_answer_insufficient_funds_as_a_tool_error_and_charge_nothing() {
        // a new workspace starts with an empty wallet
        TestAccounts.Member m = accounts.member("owner");
        GatewayClient first = anonymous.withBearer(TestAccounts.login(anonymous, m).accessToken());
        String wsId = first.post("/api/workspaces", Map.of("name", "MCP dry wallet")).get("id");
        GatewayClient broke = anonymous.withBearer(TestAccounts.login(anonymous, m.email(), m.password(), wsId).accessToken());
        String key = broke.post("/api/keys", Map.of("name", "mcp dry", "role", "member")).get("secret");
        assertThat(broke.get("/api/billing/wallet").get("balance")).isEqualTo("0.000000");

        try (McpSyncClient client = connect(key)) {
            McpSchema.CallToolResult refused = client.callTool(new McpSchema.CallToolRequest("demo-model__execute",
                    Map.of("input", Map.of("text", "No credits here."))));

            assertThat(refused.isError()).isTrue();
            assertThat(text(refused)).startsWith("insufficient_funds:");
        }
        JsonNode wallet = broke.get("/api/billing/wallet").json();
        assertThat(wallet.path("balance").asString()).isEqualTo("0.000000");
        assertThat(wallet.path("reserved").asString()).isEqualTo("0.000000");
        assertThat(broke.get("/api/billing/ledger").json().path("data").size()).isZero();
        assertThat(broke.get("/api/runs").json().path("data").size()).isZero();
        // the refusal's usage row is written just after the answer
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30))
                .until(() -> broke.get("/api/logs/usage?status=blocked").json().path("data").size() == 1);
        JsonNode blocked = broke.get("/api/logs/usage?status=blocked").json().path("data");
        assertThat(blocked.get(0).path("error_code").asString()).isEqualTo("insufficient_funds");
        assertThat(blocked.get(0).path("entry_point").asString()).isEqualTo("mcp");
    }

    @Test
    void should_read_a_models_contract_and_the_workspaces_knowledge_bases() {
        GatewayClient.Response indexed = owner.post("/api/runs", Map.of("model", "text-embed", "mode", "index",
                "scope", "mcp-kb", "input", Map.of("texts", List.of("Agents discover knowledge bases as resources."))));
        assertThat(indexed.status()).as(indexed.describe()).isEqualTo(200);
        try (McpSyncClient client = connect(OWNER_KEY)) {
            var contract = (McpSchema.TextResourceContents) client.readResource(
                    new McpSchema.ReadResourceRequest("aimp://models/demo-model")).contents().getFirst();
            JsonNode detail = GatewayClient.JSON.readTree(contract.text());
            assertThat(detail.path("slug").asString()).isEqualTo("demo-model");
            assertThat(detail.path("contract").path("execute").path("input").path("required").get(0).asString()).isEqualTo("text");
            assertThat(detail.path("pricing").path("per_run").asString()).isEqualTo("0.001000");
            assertThat(detail.toString()).doesNotContain("extractive-summary"); // provider routes stay internal

            var kbs = (McpSchema.TextResourceContents) client.readResource(
                    new McpSchema.ReadResourceRequest("aimp://knowledge-bases")).contents().getFirst();
            JsonNode list = GatewayClient.JSON.readTree(kbs.text());
            assertThat(list.isArray()).isTrue();
            assertThat(list.findValuesAsString("scope")).contains("mcp-kb");
            assertThat(list.findValuesAsString("model")).contains("text-embed");
            // one view of a knowledge base: the same names as GET /api/knowledge-bases, no internal fields
            JsonNode rest = owner.get("/api/knowledge-bases").json().path("data");
            assertThat(list).isEqualTo(rest);
            assertThat(list.get(0).has("items")).isTrue();
            assertThat(list.toString()).doesNotContain("model_slug").doesNotContain("item_count").doesNotContain("generation");
        }
    }
}
