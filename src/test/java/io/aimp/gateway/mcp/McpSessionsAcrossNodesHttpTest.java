package io.aimp.gateway.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.aimp.gateway.auth.AuthProperties;
import io.aimp.gateway.auth.Authenticator;
import io.aimp.gateway.auth.Principal;
import io.aimp.gateway.storage.Database;
import io.aimp.gateway.support.CheckedAgainstOpenApi;
import io.aimp.gateway.support.GatewayClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.info.BuildProperties;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Two MCP endpoints on one database, as two nodes behind a balancer without sticky sessions: the
 * gateway over HTTP, and a second {@link McpServer} with its own {@link McpSessions} over the same
 * database. A session initialized on either is used and ended on the other.
 */
@CheckedAgainstOpenApi
class McpSessionsAcrossNodesHttpTest extends McpHttpTest {

    @Autowired
    McpTools tools;
    @Autowired
    McpResources resources;
    @Autowired
    Database db;
    @Autowired
    Clock clock;
    @Autowired
    ObjectMapper json;
    @Autowired
    AuthProperties auth;
    @Autowired
    ObjectProvider<BuildProperties> build;
    @Autowired
    Authenticator authenticator;

    private McpServer otherNode() {
        return new McpServer(tools, resources, new McpSessions(new JdbcMcpSessionStore(db), clock), json, auth, build);
    }

    private static byte[] message(String method) {
        return ("{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"" + method + "\",\"params\":{}}").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void should_answer_on_the_other_node_for_a_session_initialized_here() {
        Session session = initialize(owner, "2025-06-18");
        McpServer other = otherNode();
        Principal principal = authenticator.authenticate(OWNER_KEY, null);

        McpServer.Reply listed = other.post(principal, message("tools/list"),
                new McpServer.Headers(session.id(), session.protocolVersion(), null, "req_other"));

        assertThat(listed.status()).isEqualTo(200);
        assertThat(listed.body().path("result").path("tools").isArray()).isTrue();
        assertThat(listed.body().path("result").path("tools").size()).isPositive();

        // ended on the other node: this one no longer knows it either
        assertThat(other.delete(principal, session.id())).isEqualTo(204);
        GatewayClient.Response after = session.call("tools/list", Map.of());
        assertThat(after.status()).as(after.describe()).isEqualTo(404);
    }

    @Test
    void should_answer_here_for_a_session_initialized_on_the_other_node() {
        McpServer other = otherNode();
        Principal principal = authenticator.authenticate(OWNER_KEY, null);
        byte[] init = """
                {"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18",
                 "capabilities":{},"clientInfo":{"name":"test","version":"1"}}}""".getBytes(StandardCharsets.UTF_8);
        McpServer.Reply opened = other.post(principal, init, new McpServer.Headers(null, null, null, "req_init"));
        assertThat(opened.sessionId()).isNotBlank();

        GatewayClient.Response listed = owner.withHeader("Accept", "application/json, text/event-stream")
                .withHeader("Mcp-Session-Id", opened.sessionId()).withHeader("MCP-Protocol-Version", "2025-06-18")
                .post("/mcp", Map.of("jsonrpc", "2.0", "id", 2, "method", "tools/list"));

        assertThat(listed.status()).as(listed.describe()).isEqualTo(200);
        JsonNode tools = listed.json().path("result").path("tools");
        assertThat(tools.isArray() && !tools.isEmpty()).as(listed.describe()).isTrue();
    }
}
