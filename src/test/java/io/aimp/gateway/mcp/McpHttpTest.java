package io.aimp.gateway.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.aimp.gateway.support.GatewayClient;
import io.aimp.gateway.support.GatewayHttpTest;
import io.aimp.gateway.support.TestSecrets;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A running gateway whose catalog has the demo model plus {@code mcp-notes}: a second local model with an
 * ordinary mode and a vector-enabled one. Offers a raw JSON-RPC client for the transport rules.
 */
abstract class McpHttpTest extends GatewayHttpTest {

    static final Path CATALOG = writeCatalog();

    @DynamicPropertySource
    static void mcpProperties(DynamicPropertyRegistry registry) {
        registry.add("aimp.catalog-dir", CATALOG::toString);
    }

    /** A session opened with {@code initialize} over plain HTTP: the client that sends its headers. */
    record Session(GatewayClient client, String id, String protocolVersion) {

        GatewayClient.Response call(String method, Map<String, ?> params) {
            Map<String, Object> message = new LinkedHashMap<>();
            message.put("jsonrpc", "2.0");
            message.put("id", 7);
            message.put("method", method);
            message.put("params", params);
            return client.post("/mcp", message);
        }
    }

    Session initialize(GatewayClient keyed, String protocolVersion) {
        GatewayClient.Response r = keyed.withHeader("Accept", "application/json, text/event-stream").post("/mcp", Map.of(
                "jsonrpc", "2.0", "id", 1, "method", "initialize",
                "params", Map.of("protocolVersion", protocolVersion, "capabilities", Map.of(),
                        "clientInfo", Map.of("name", "test", "version", "1"))));
        assertThat(r.status()).as(r.describe()).isEqualTo(200);
        String id = r.header("Mcp-Session-Id");
        assertThat(id).as(r.describe()).isNotBlank();
        String agreed = r.json().path("result").path("protocolVersion").asString();
        GatewayClient session = keyed.withHeader("Accept", "application/json, text/event-stream")
                .withHeader("Mcp-Session-Id", id).withHeader("MCP-Protocol-Version", agreed);
        GatewayClient.Response initialized = session.post("/mcp", Map.of("jsonrpc", "2.0", "method", "notifications/initialized"));
        assertThat(initialized.status()).as(initialized.describe()).isEqualTo(202);
        return new Session(session, id, agreed);
    }

    private static Path writeCatalog() {
        Path dir = TestSecrets.tempDir("aimp-mcp-catalog-");
        try {
            Files.writeString(dir.resolve("mcp-notes.yaml"), """
                    slug: mcp-notes
                    name: Notes
                    kind: text
                    description: A second local model for MCP tests.
                    visibility: public
                    modes:
                      execute:
                        input: {type: object, required: [text], additionalProperties: false, properties: {text: {type: string}}}
                      recall:
                        vector: true
                        input: {type: object, required: [text], additionalProperties: false, properties: {text: {type: string}}}
                    releases:
                      - version: 1.0.0
                        routes: [{provider: local, model: extractive-summary, timeout_ms: 10000}]
                        pricing: {per_run: 0.002}
                    text: {prompt: "{{input.text}}"}
                    """);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }
}
