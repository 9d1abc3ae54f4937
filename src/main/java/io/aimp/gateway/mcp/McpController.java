package io.aimp.gateway.mcp;

import io.aimp.gateway.auth.Principal;
import io.aimp.gateway.common.ErrorCategory;
import io.aimp.gateway.common.GatewayException;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * {@code /mcp}, the MCP Streamable HTTP endpoint: POST carries one JSON-RPC message and is answered with
 * JSON; GET (a server-initiated event stream) is not offered; DELETE ends the session.
 */
@RestController
@RequestMapping("/mcp")
class McpController {

    static final String SESSION = "Mcp-Session-Id";
    static final String PROTOCOL_VERSION = "MCP-Protocol-Version";
    private static final String REQUEST_ID = "aimp.requestId";

    private final McpServer server;

    McpController(McpServer server) {
        this.server = server;
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<JsonNode> post(Principal principal, @RequestBody(required = false) byte[] body,
                                  @RequestHeader(name = SESSION, required = false) String sessionId,
                                  @RequestHeader(name = PROTOCOL_VERSION, required = false) String protocolVersion,
                                  @RequestHeader(name = HttpHeaders.ORIGIN, required = false) String origin,
                                  @RequestHeader(name = HttpHeaders.ACCEPT, required = false) String accept,
                                  HttpServletRequest request) {
        if (!acceptsJson(accept)) {
            return ResponseEntity.status(406).contentType(MediaType.APPLICATION_JSON).body(JsonRpc.error(null,
                    JsonRpc.INVALID_REQUEST, "Not Acceptable: this server answers with application/json"));
        }
        McpServer.Reply reply = server.post(principal, body,
                new McpServer.Headers(sessionId, protocolVersion, origin, String.valueOf(request.getAttribute(REQUEST_ID))));
        ResponseEntity.BodyBuilder answer = ResponseEntity.status(reply.status());
        if (reply.sessionId() != null) {
            answer.header(SESSION, reply.sessionId());
        }
        return reply.body() == null ? answer.build() : answer.contentType(MediaType.APPLICATION_JSON).body(reply.body());
    }

    /** No server-initiated stream: every answer comes with its POST (the transport allows 405 here). */
    @GetMapping
    ResponseEntity<Void> stream() {
        throw GatewayException.of(ErrorCategory.INVALID_REQUEST, "stream_not_offered",
                        "this MCP server offers no server-initiated event stream on GET: every answer comes with its POST "
                                + "(application/json); send JSON-RPC messages with POST /mcp, and DELETE /mcp to end a session")
                .status(405).header(HttpHeaders.ALLOW, HttpMethod.POST + ", " + HttpMethod.DELETE).build();
    }

    @DeleteMapping
    ResponseEntity<Void> end(Principal principal, @RequestHeader(name = SESSION, required = false) String sessionId) {
        return ResponseEntity.status(server.delete(principal, sessionId)).build();
    }

    private static boolean acceptsJson(String accept) {
        if (accept == null || accept.isBlank()) {
            return true;
        }
        try {
            return MediaType.parseMediaTypes(accept).stream().anyMatch(m -> m.isCompatibleWith(MediaType.APPLICATION_JSON));
        } catch (InvalidMediaTypeException e) {
            return true;
        }
    }
}
