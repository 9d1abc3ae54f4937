package io.aimp.gateway.mcp;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** JSON-RPC 2.0 messages and the error codes MCP uses. */
final class JsonRpc {

    static final int PARSE_ERROR = -32700;
    static final int INVALID_REQUEST = -32600;
    static final int METHOD_NOT_FOUND = -32601;
    static final int INVALID_PARAMS = -32602;
    static final int INTERNAL_ERROR = -32603;
    /** MCP: the resource named by a URI does not exist (or is not visible to the caller). */
    static final int RESOURCE_NOT_FOUND = -32002;

    static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private JsonRpc() {
    }

    /** A protocol error with a JSON-RPC code, raised while handling one request and answered as its error. */
    static final class Failure extends RuntimeException {
        private final int code;

        Failure(int code, String message) {
            super(message, null, false, false);
            this.code = code;
        }

        int code() {
            return code;
        }
    }

    static ObjectNode result(JsonNode id, JsonNode result) {
        ObjectNode m = NODES.objectNode();
        m.put("jsonrpc", "2.0");
        m.set("id", id);
        m.set("result", result);
        return m;
    }

    /** An error response; {@code id} is {@code null} when the request's id could not be read. */
    static ObjectNode error(JsonNode id, int code, String message) {
        ObjectNode m = NODES.objectNode();
        m.put("jsonrpc", "2.0");
        m.set("id", id == null ? NODES.nullNode() : id);
        ObjectNode e = m.putObject("error");
        e.put("code", code);
        e.put("message", message);
        return m;
    }

    static boolean validId(JsonNode id) {
        return id != null && (id.isString() || id.isIntegralNumber());
    }
}
