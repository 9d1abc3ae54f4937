package io.aimp.gateway.shout;

import static org.assertj.core.api.Assertions.assertThat;

import io.aimp.gateway.support.CheckedAgainstOpenApi;
import io.aimp.gateway.support.GatewayClient;
import io.aimp.gateway.support.GatewayHttpTest;
import io.aimp.gateway.support.TestSecrets;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * A kind added as one package and its registration ({@link ShoutKind}): its models load, are listed in the
 * marketplace, run through {@code POST /api/runs} and are offered and run as MCP tools.
 */
@Import(ShoutKind.class)
@CheckedAgainstOpenApi
class ShoutKindHttpTest extends GatewayHttpTest {

    private static final Path CATALOG = catalog();

    @DynamicPropertySource
    static void shoutProperties(DynamicPropertyRegistry registry) {
        registry.add("aimp.catalog-dir", CATALOG::toString);
    }

    private static Path catalog() {
        Path dir = TestSecrets.tempDir("aimp-shout-catalog-");
        try {
            Files.writeString(dir.resolve("shouter.yaml"), """
                    slug: shouter
                    name: Shouter
                    kind: shout
                    description: Answers in capitals.
                    visibility: public
                    modes:
                      execute:
                        input: {type: object, required: [text], additionalProperties: false, properties: {text: {type: string}}}
                    releases:
                      - version: 1.0.0
                        routes: [{provider: local, model: shout}]
                    shout: {suffix: "!", times: 3}
                    """);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }

    @Test
    void should_list_the_kind_in_the_marketplace() {
        GatewayClient.Response list = owner.get("/api/marketplace/models?kind=shout");

        assertThat(list.status()).as(list.describe()).isEqualTo(200);
        assertThat(list.json().path("data").valueStream().map(m -> m.path("slug").asString() + ":" + m.path("kind").asString()))
                .containsExactly("shouter:shout");
        GatewayClient.Response detail = owner.get("/api/marketplace/models/shouter");
        assertThat(detail.json().path("kind").asString()).as(detail.describe()).isEqualTo("shout");
    }

    @Test
    void should_run_the_kind_through_the_runs_api() {
        GatewayClient.Response run = owner.post("/api/runs", Map.of("model", "shouter", "mode", "execute",
                "input", Map.of("text", "quiet please")));

        assertThat(run.status()).as(run.describe()).isEqualTo(200);
        assertThat(run.json().path("status").asString()).isEqualTo("succeeded");
        assertThat(run.json().path("output").path("text").asString()).isEqualTo("QUIET PLEASE!!!");
    }

    @Test
    void should_offer_and_run_the_kind_as_an_mcp_tool() {
        GatewayClient session = mcpSession();

        JsonNode tools = session.post("/mcp", rpc("tools/list", Map.of())).json().path("result").path("tools");
        assertThat(tools.valueStream().map(t -> t.path("name").asString())).contains("shouter__execute");
        JsonNode result = session.post("/mcp", rpc("tools/call", Map.of("name", "shouter__execute",
                "arguments", Map.of("input", Map.of("text", "hello"))))).json().path("result");
        assertThat(result.path("isError").asBoolean()).as(result.toString()).isFalse();
        assertThat(result.path("content").get(0).path("text").asString()).isEqualTo("{\"text\":\"HELLO!!!\"}");
    }

    private GatewayClient mcpSession() {
        GatewayClient keyed = owner.withHeader("Accept", "application/json, text/event-stream");
        GatewayClient.Response init = keyed.post("/mcp", Map.of("jsonrpc", "2.0", "id", 1, "method", "initialize",
                "params", Map.of("protocolVersion", "2025-11-25", "capabilities", Map.of(),
                        "clientInfo", Map.of("name", "test", "version", "1"))));
        assertThat(init.status()).as(init.describe()).isEqualTo(200);
        GatewayClient session = keyed.withHeader("Mcp-Session-Id", init.header("Mcp-Session-Id"))
                .withHeader("MCP-Protocol-Version", init.json().path("result").path("protocolVersion").asString());
        GatewayClient.Response initialized = session.post("/mcp", Map.of("jsonrpc", "2.0", "method", "notifications/initialized"));
        assertThat(initialized.status()).as(initialized.describe()).isEqualTo(202);
        return session;
    }

    private static Map<String, Object> rpc(String method, Map<String, ?> params) {
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("jsonrpc", "2.0");
        message.put("id", 2);
        message.put("method", method);
        message.put("params", params);
        return message;
    }
}
