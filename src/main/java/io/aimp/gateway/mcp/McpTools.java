package io.aimp.gateway.mcp;

import io.aimp.gateway.auth.Permission;
import io.aimp.gateway.auth.Principal;
import io.aimp.gateway.catalog.CatalogService;
import io.aimp.gateway.catalog.Mode;
import io.aimp.gateway.catalog.PublishedModel;
import io.aimp.gateway.common.ErrorCategory;
import io.aimp.gateway.common.FieldError;
import io.aimp.gateway.common.GatewayException;
import io.aimp.gateway.common.Money;
import io.aimp.gateway.common.Printable;
import io.aimp.gateway.runs.RunService;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Published models as MCP tools: one tool per (model, mode). {@code tools/call} runs the model through
 * {@link RunService#submit} like {@code POST /api/runs}, so every control of the pipeline applies.
 */
@Component
class McpTools {

    static final String ENTRY_POINT = "mcp";
    static final String SCOPE_PATTERN = "^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$";
    private static final Set<String> ARGUMENTS = Set.of("input", "params", "scope", "idempotency_key");
    private static final int MAX_IDEMPOTENCY_KEY = 255;

    private final CatalogService catalog;
    private final RunService runs;
    private final ObjectMapper json;

    McpTools(CatalogService catalog, RunService runs, ObjectMapper json) {
        this.catalog = catalog;
        this.runs = runs;
        this.json = json;
    }

    record Tool(String name, PublishedModel model, Mode mode) {
    }

    /**
     * The tools the caller may run: models visible to its workspace and on its key's allowlist, and only for
     * roles that may run models (a viewer key lists none). Computed per request, so it follows the catalog
     * and the key.
     */
    List<Tool> callable(Principal principal) {
        if (!principal.can(Permission.RUN_MODELS)) {
            return List.of();
        }
        return all(principal).stream().filter(t -> CatalogService.availableTo(principal, t.model())).toList();
    }

    ArrayNode list(Principal principal) {
        ArrayNode tools = JsonRpc.NODES.arrayNode();
        callable(principal).forEach(t -> tools.add(definition(t)));
        return tools;
    }

    /**
     * Runs the tool named in {@code params}. A refused or failed run is a tool result with {@code isError}
     * (the model can read why and correct itself); only a malformed call or an unknown tool is a protocol error.
     */
    ObjectNode call(Principal principal, JsonNode params, String requestId) {
        JsonNode name = params.path("name");
        if (!name.isString()) {
            throw new JsonRpc.Failure(JsonRpc.INVALID_PARAMS, "tools/call needs params.name, the name of a tool");
        }
        JsonNode args = params.path("arguments");
        if (!args.isMissingNode() && !args.isNull() && !args.isObject()) {
            throw new JsonRpc.Failure(JsonRpc.INVALID_PARAMS, "params.arguments must be an object");
        }
        // any tool of the workspace's models resolves: the pipeline refuses allowlist and role with its own codes
        Tool tool = find(principal, name.asString()).orElseThrow(() ->
                new JsonRpc.Failure(JsonRpc.INVALID_PARAMS, "Unknown tool: " + Printable.of(name.asString())));
        try {
            String idempotencyKey = idempotencyKey(args);
            RunService.Result result = runs.submit(principal, runBody(tool, args),
                    new RunService.Entry(requestId, ENTRY_POINT, idempotencyKey, null));
            return switch (result) {
                case RunService.RunOutcome outcome -> success(tool, outcome.run().id(), outcome.run().output(),
                        outcome.run().releaseVersion(), Money.format(outcome.run().costMicros()), outcome.deprecation());
                // the same idempotency key and arguments again: the first answer, unchanged
                case RunService.Replayed replayed -> success(tool, replayed.runId(), replayed.body().get("output"),
                        replayed.body().path("release").asString(null),
                        replayed.body().path("cost").path("credits").asString(null),
                        replayed.body().path("deprecation").asString(null));
            };
        } catch (GatewayException e) {
            return refusal(e);
        }
    }

    private List<Tool> all(Principal principal) {
        List<Tool> tools = new ArrayList<>();
        for (PublishedModel m : catalog.visibleTo(principal.workspaceId(), null, null)) {
            m.modes().forEach((modeName, mode) -> tools.add(new Tool(ToolNames.of(m.slug(), modeName), m, mode)));
        }
        return tools;
    }

    private ObjectNode definition(Tool t) {
        ObjectNode d = JsonRpc.NODES.objectNode();
        d.put("name", t.name());
        d.put("title", t.model().modes().size() == 1 ? t.model().name() : t.model().name() + " (" + t.mode().name() + ")");
        String description = t.model().description();
        if (t.mode().description() != null && !t.mode().description().isBlank()) {
            description += "\nMode " + t.mode().name() + ": " + t.mode().description();
        }
        d.put("description", description);
        d.set("inputSchema", inputSchema(t.mode()));
        if (declaresObjectOutput(t.mode())) {
            d.set("outputSchema", embedded(t.mode().outputSchema()));
        }
        return d;
    }

    /** The arguments object: the run body's {@code input}, {@code params} and {@code scope}, plus an idempotency key. */
    static ObjectNode inputSchema(Mode mode) {
        ObjectNode s = JsonRpc.NODES.objectNode();
        s.put("type", "object");
        ObjectNode props = s.putObject("properties");
        props.set("input", embedded(mode.inputSchema()));
        props.set("params", embedded(mode.paramsSchema()));
        ObjectNode scope = props.putObject("scope");
        scope.put("type", "string");
        scope.put("pattern", SCOPE_PATTERN);
        scope.put("description", mode.vector()
                ? "The vector namespace; index and search meet only within the same scope."
                : "Optional label recorded with the run.");
        ObjectNode key = props.putObject("idempotency_key");
        key.put("type", "string");
        key.put("minLength", 1);
        key.put("maxLength", MAX_IDEMPOTENCY_KEY);
        key.put("description", "Retrying with the same key and arguments replays the first result instead of running again.");
        ArrayNode required = s.putArray("required");
        required.add("input");
        if (mode.vector()) {
            required.add("scope");
        }
        s.put("additionalProperties", false);
        return s;
    }

    private static boolean declaresObjectOutput(Mode mode) {
        return mode.outputSchema() != null && "object".equals(mode.outputSchema().path("type").asString(""));
    }

    /** A contract schema placed inside another: {@code $schema} belongs only at a document's root. */
    private static JsonNode embedded(JsonNode schema) {
        if (schema == null || !schema.isObject()) {
            return JsonRpc.NODES.objectNode().put("type", "object");
        }
        ObjectNode copy = ((ObjectNode) schema).deepCopy();
        copy.remove("$schema");
        return copy;
    }

    private static ObjectNode runBody(Tool tool, JsonNode args) {
        ObjectNode body = JsonRpc.NODES.objectNode();
        body.put("model", tool.model().slug());
        body.put("mode", tool.mode().name());
        if (!args.isObject()) {
            return body;
        }
        for (Map.Entry<String, JsonNode> e : args.properties()) {
            if (!ARGUMENTS.contains(e.getKey())) {
                throw GatewayException.invalidField("unknown_argument", "$." + Printable.of(e.getKey()),
                        "unknown argument '" + Printable.of(e.getKey()) + "'; this tool takes input, params, scope and idempotency_key");
            }
        }
        for (String field : List.of("scope", "input", "params")) {
            if (args.has(field)) {
                body.set(field, args.get(field));
            }
        }
        return body;
    }

    private static String idempotencyKey(JsonNode args) {
        JsonNode key = args.path("idempotency_key");
        if (key.isMissingNode() || key.isNull()) {
            return null;
        }
        if (!key.isString() || key.asString().isEmpty() || key.asString().length() > MAX_IDEMPOTENCY_KEY) {
            throw GatewayException.invalidField("invalid_idempotency_key", "$.idempotency_key",
                    "idempotency_key must be a string of 1 to " + MAX_IDEMPOTENCY_KEY + " characters");
        }
        return key.asString();
    }

    private ObjectNode success(Tool tool, String runId, JsonNode runOutput, String release, String costCredits,
                               String deprecation) {
        JsonNode output = runOutput == null ? JsonRpc.NODES.nullNode() : runOutput;
        ObjectNode result = JsonRpc.NODES.objectNode();
        result.putArray("content").addObject().put("type", "text").put("text", json.writeValueAsString(output));
        if (declaresObjectOutput(tool.mode()) && output.isObject()) {
            result.set("structuredContent", output);
        }
        result.put("isError", false);
        ObjectNode meta = result.putObject("_meta");
        meta.put("io.aimp/run_id", runId);
        meta.put("io.aimp/release", release);
        meta.put("io.aimp/cost_credits", costCredits);
        if (deprecation != null) {
            meta.put("io.aimp/deprecation", deprecation);
        }
        return result;
    }

    /** The problem as the model reads it: {@code code: detail}, then one line per field problem. */
    private static ObjectNode refusal(GatewayException e) {
        StringBuilder text = new StringBuilder(e.code()).append(": ").append(e.detail());
        for (FieldError f : e.errors()) {
            text.append('\n').append(f.path()).append(": ").append(f.message());
        }
        if (e.retryAfterSeconds() != null) {
            text.append("\nretry after ").append(e.retryAfterSeconds()).append(" s");
        }
        Object runId = e.extensions().get("run_id");
        if (runId != null) {
            text.append("\nrun_id: ").append(runId);
        }
        ObjectNode result = JsonRpc.NODES.objectNode();
        result.putArray("content").addObject().put("type", "text").put("text", text.toString());
        result.put("isError", true);
        ObjectNode meta = result.putObject("_meta");
        meta.put("io.aimp/code", e.code());
        meta.put("io.aimp/category", e.category() == null ? ErrorCategory.EXECUTION.wireName() : e.category().wireName());
        if (runId != null) {
            meta.put("io.aimp/run_id", String.valueOf(runId));
        }
        return result;
    }

    private Optional<Tool> find(Principal principal, String name) {
        return all(principal).stream().filter(t -> t.name().equals(name)).findFirst();
    }
}
