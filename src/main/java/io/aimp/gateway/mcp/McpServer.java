package io.aimp.gateway.mcp;

import io.aimp.gateway.auth.AuthProperties;
import io.aimp.gateway.auth.Principal;
import io.aimp.gateway.common.GatewayException;
import io.aimp.gateway.common.Printable;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The MCP server behind {@code /mcp} (Streamable HTTP, answers as single JSON responses, no server-initiated
 * stream): session and protocol-version rules of the transport, then JSON-RPC dispatch to tools and resources.
 * The caller is already authenticated by the HTTP edge; each request is authorized from its own key.
 */
@Component
class McpServer {

    private static final Logger log = LoggerFactory.getLogger(McpServer.class);

    /** Newest first; the first is offered when a client asks for one we do not speak. */
    static final List<String> PROTOCOL_VERSIONS = List.of("2025-11-25", "2025-06-18", "2025-03-26");
    /** The last revision that allowed JSON-RPC batches. */
    static final String BATCHING_VERSION = "2025-03-26";

    /** What the transport sent besides the body. */
    record Headers(String sessionId, String protocolVersion, String origin, String requestId) {
    }

    /**
     * The HTTP answer: {@code body == null} means 202 Accepted with no body (only notifications or responses
     * were posted); {@code sessionId} is set when a session was created.
     */
    record Reply(int status, JsonNode body, String sessionId) {

        static Reply accepted() {
            return new Reply(202, null, null);
        }

        static Reply transportError(int status, int code, String message) {
            return new Reply(status, JsonRpc.error(null, code, message), null);
        }
    }

    private final McpTools tools;
    private final McpResources resources;
    private final McpSessions sessions;
    private final ObjectMapper json;
    private final String ownOrigin;
    private final String version;

    McpServer(McpTools tools, McpResources resources, McpSessions sessions, ObjectMapper json, AuthProperties auth,
              ObjectProvider<BuildProperties> build) {
        this.tools = tools;
        this.resources = resources;
        this.sessions = sessions;
        this.json = json;
        this.ownOrigin = origin(auth.publicUrl());
        BuildProperties b = build.getIfAvailable();
        this.version = b != null ? b.getVersion() : "dev";
    }

    Reply post(Principal principal, byte[] body, Headers headers) {
        requireApiKey(principal);
        if (!originAllowed(headers.origin())) {
            return Reply.transportError(403, JsonRpc.INVALID_REQUEST, "Forbidden: this Origin may not call the MCP server");
        }
        JsonNode message;
        try {
            message = body == null || body.length == 0 ? null : json.readTree(body);
        } catch (JacksonException e) {
            message = null;
        }
        if (message == null || message.isMissingNode()) {
            return Reply.transportError(400, JsonRpc.PARSE_ERROR, "Parse error: the body must be one JSON-RPC message");
        }
        if (!message.isArray() && !(message.isObject() && "2.0".equals(message.path("jsonrpc").asString(null)))) {
            return Reply.transportError(400, JsonRpc.INVALID_REQUEST, "Invalid Request: not a JSON-RPC 2.0 message");
        }
        if (message.isObject() && "initialize".equals(message.path("method").asString(null))) {
            return initialize(principal, message);
        }
        if (headers.sessionId() == null) {
            return Reply.transportError(400, JsonRpc.INVALID_REQUEST,
                    "Bad Request: send the Mcp-Session-Id header from the initialize response (initialize first)");
        }
        Optional<McpSessions.Session> session = sessions.find(headers.sessionId(), principal);
        if (session.isEmpty()) {
            return Reply.transportError(404, JsonRpc.INVALID_REQUEST, "Session not found: it ended or expired; initialize again");
        }
        String negotiated = session.get().protocolVersion();
        if (headers.protocolVersion() != null && !headers.protocolVersion().equals(negotiated)) {
            return Reply.transportError(400, JsonRpc.INVALID_REQUEST, "Bad Request: MCP-Protocol-Version "
                    + Printable.of(headers.protocolVersion()) + " is not the negotiated version " + negotiated);
        }
        if (message.isArray()) {
            return batch(principal, (ArrayNode) message, negotiated, headers.requestId());
        }
        return handle(principal, message, headers.requestId()).map(r -> new Reply(200, r, null)).orElse(Reply.accepted());
    }

    /**
     * {@code DELETE /mcp}: the client ends its session; the status to answer (204), or a problem when the
     * request names no session or none of its key's.
     */
    int delete(Principal principal, String sessionId) {
        requireApiKey(principal);
        if (sessionId == null) {
            throw GatewayException.invalid("session_id_required",
                    "send the Mcp-Session-Id header of the session to end (initialize answered it)");
        }
        McpSessions.Session session = sessions.find(sessionId, principal)
                .orElseThrow(() -> GatewayException.notFound("MCP session (it ended, expired or belongs to another key)"));
        sessions.close(session);
        return 204;
    }

    private Reply initialize(Principal principal, JsonNode message) {
        JsonNode id = message.get("id");
        if (!JsonRpc.validId(id)) {
            return Reply.transportError(400, JsonRpc.INVALID_REQUEST, "Invalid Request: initialize needs an id");
        }
        JsonNode requested = message.path("params").path("protocolVersion");
        if (!requested.isString()) {
            return new Reply(200, JsonRpc.error(id, JsonRpc.INVALID_PARAMS, "initialize needs params.protocolVersion"), null);
        }
        String agreed = PROTOCOL_VERSIONS.contains(requested.asString()) ? requested.asString() : PROTOCOL_VERSIONS.getFirst();
        McpSessions.Session session = sessions.open(principal, agreed);
        ObjectNode result = JsonRpc.NODES.objectNode();
        result.put("protocolVersion", agreed);
        ObjectNode capabilities = result.putObject("capabilities");
        // no server-initiated stream, so no list_changed notifications: lists are computed per request
        capabilities.putObject("tools").put("listChanged", false);
        capabilities.putObject("resources").put("listChanged", false).put("subscribe", false);
        ObjectNode info = result.putObject("serverInfo");
        info.put("name", "aimp-gateway");
        info.put("title", "AIMP Gateway");
        info.put("version", version);
        result.put("instructions", "Each tool runs one mode of a published model (name <model>__<mode>) with "
                + "arguments {input, params, scope, idempotency_key}. Resources hold each model's contract and pricing.");
        return new Reply(200, JsonRpc.result(id, result), session.id());
    }

    private Reply batch(Principal principal, ArrayNode messages, String negotiated, String requestId) {
        if (!BATCHING_VERSION.equals(negotiated)) {
            return Reply.transportError(400, JsonRpc.INVALID_REQUEST,
                    "Invalid Request: JSON-RPC batches are not part of MCP " + negotiated + "; send one message per request");
        }
        if (messages.isEmpty()) {
            return Reply.transportError(400, JsonRpc.INVALID_REQUEST, "Invalid Request: empty batch");
        }
        ArrayNode replies = JsonRpc.NODES.arrayNode();
        for (JsonNode m : messages) {
            if (m.isObject() && "initialize".equals(m.path("method").asString(null))) {
                replies.add(JsonRpc.error(m.get("id"), JsonRpc.INVALID_REQUEST, "initialize must not be part of a batch"));
            } else {
                handle(principal, m, requestId).ifPresent(replies::add);
            }
        }
        return replies.isEmpty() ? Reply.accepted() : new Reply(200, replies, null);
    }

    /** One message: the response to a request, or nothing for a notification or a client's response. */
    private Optional<JsonNode> handle(Principal principal, JsonNode message, String requestId) {
        if (!message.isObject() || !"2.0".equals(message.path("jsonrpc").asString(null))) {
            return Optional.of(JsonRpc.error(null, JsonRpc.INVALID_REQUEST, "Invalid Request: not a JSON-RPC 2.0 message"));
        }
        JsonNode method = message.get("method");
        JsonNode id = message.get("id");
        if (method == null) {
            return Optional.empty(); // a response to a server request; this server sends none, so nothing waits for it
        }
        if (id == null) {
            return Optional.empty(); // notifications (initialized, cancelled, ...) need no answer
        }
        if (!method.isString() || !JsonRpc.validId(id)) {
            return Optional.of(JsonRpc.error(JsonRpc.validId(id) ? id : null, JsonRpc.INVALID_REQUEST,
                    "Invalid Request: method must be a string and id a string or an integer"));
        }
        JsonNode params = message.path("params");
        if (!params.isMissingNode() && !params.isObject()) {
            return Optional.of(JsonRpc.error(id, JsonRpc.INVALID_PARAMS, "params must be an object"));
        }
        try {
            return Optional.of(JsonRpc.result(id, dispatch(principal, method.asString(), params, requestId)));
        } catch (JsonRpc.Failure f) {
            return Optional.of(JsonRpc.error(id, f.code(), f.getMessage()));
        } catch (RuntimeException e) {
            log.error("MCP method {} failed", Printable.of(method.asString()), e);
            return Optional.of(JsonRpc.error(id, JsonRpc.INTERNAL_ERROR, "Internal error"));
        }
    }

    private JsonNode dispatch(Principal principal, String method, JsonNode params, String requestId) {
        ObjectNode result = JsonRpc.NODES.objectNode();
        switch (method) {
            case "ping" -> { }
            case "tools/list" -> {
                noCursor(params);
                result.set("tools", tools.list(principal));
            }
            case "tools/call" -> {
                return tools.call(principal, params, requestId);
            }
            case "resources/list" -> {
                noCursor(params);
                result.set("resources", resources.list(principal));
            }
            case "resources/templates/list" -> {
                noCursor(params);
                result.set("resourceTemplates", resources.templates());
            }
            case "resources/read" -> result.set("contents", resources.read(principal, params));
            case "initialize" -> throw new JsonRpc.Failure(JsonRpc.INVALID_REQUEST, "initialize must be sent on its own");
            default -> throw new JsonRpc.Failure(JsonRpc.METHOD_NOT_FOUND, "Method not found: " + Printable.of(method));
        }
        return result;
    }

    /** Lists fit in one page, so no cursor is ever issued; one sent anyway is not ours. */
    private static void noCursor(JsonNode params) {
        JsonNode cursor = params.path("cursor");
        if (!cursor.isMissingNode() && !cursor.isNull()) {
            throw new JsonRpc.Failure(JsonRpc.INVALID_PARAMS, "Invalid cursor: lists are not paginated");
        }
    }

    /** MCP clients authenticate with X-API-Key; access tokens of console sessions are for the REST API. */
    private static void requireApiKey(Principal principal) {
        if (principal.type() != Principal.Type.API_KEY) {
            throw GatewayException.unauthenticated("api_key_required",
                    "the MCP server takes an API key in the X-API-Key header, not an access token");
        }
    }

    /**
     * Against DNS rebinding: a browser's Origin must be this gateway's public URL or a loopback address.
     * Clients that are not browsers send no Origin.
     */
    private boolean originAllowed(String origin) {
        if (origin == null) {
            return true;
        }
        String o = origin(origin);
        if (o == null) {
            return false;
        }
        if (o.equals(ownOrigin)) {
            return true;
        }
        String host = URI.create(o).getHost();
        return host != null && (host.equals("localhost") || host.equals("127.0.0.1") || host.equals("[::1]"));
    }

    /** scheme://host[:port] in lower case, or {@code null} when it is not an http(s) URL. */
    private static String origin(String url) {
        try {
            URI u = new URI(url.strip());
            if (u.getScheme() == null || u.getHost() == null
                    || !(u.getScheme().equalsIgnoreCase("http") || u.getScheme().equalsIgnoreCase("https"))) {
                return null;
            }
            return (u.getScheme() + "://" + u.getHost() + (u.getPort() == -1 ? "" : ":" + u.getPort())).toLowerCase(Locale.ROOT);
        } catch (java.net.URISyntaxException e) {
            return null;
        }
    }
}
