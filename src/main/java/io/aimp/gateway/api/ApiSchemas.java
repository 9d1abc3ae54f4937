package io.aimp.gateway.api;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.examples.Example;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.BooleanSchema;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.NumberSchema;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The wire shapes of the main routes, as named component schemas, and which operation takes and answers
 * which. Controllers answer maps and records in snake_case; these schemas are the contract those answers
 * are checked against (OpenApiTrafficTest validates the HTTP tests' traffic with them). A field not named
 * here is allowed; a named field of another type, or a missing required one, fails the contract.
 */
final class ApiSchemas {

    /** What one operation takes and answers: schema names by status, and request examples by name. */
    record Typed(String request, Map<String, String> responses, Map<String, Example> requestExamples) {
    }

    private static final Map<String, Typed> OPERATIONS = new LinkedHashMap<>();

    private ApiSchemas() {
    }

    static Typed of(String method, String path) {
        return OPERATIONS.get(method + " " + path);
    }

    static Schema<?> ref(String name) {
        return new Schema<>().$ref("#/components/schemas/" + name);
    }

    static String describe(String status) {
        return switch (status) {
            case "200" -> "OK";
            case "201" -> "Created";
            case "202" -> "Accepted: the run is queued; poll the Location";
            case "204" -> "No content";
            default -> "Answer " + status;
        };
    }

    private static void op(String key, String request, Map<String, String> responses) {
        OPERATIONS.put(key, new Typed(request, responses, null));
    }

    private static void op(String key, String request, Map<String, String> responses, Map<String, Example> examples) {
        OPERATIONS.put(key, new Typed(request, responses, examples));
    }

    // ---- schema building ----------------------------------------------------------------------------

    private static Schema<?> obj(Map<String, Schema<?>> props, String... required) {
        Schema<?> s = new ObjectSchema();
        // a field added to an answer is no break of the contract; a named field of another type is
        s.setAdditionalProperties(Boolean.TRUE);
        props.forEach(s::addProperty);
        if (required.length > 0) {
            s.setRequired(List.of(required));
        }
        return s;
    }

    private static Map<String, Schema<?>> props(Object... pairs) {
        Map<String, Schema<?>> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put((String) pairs[i], (Schema<?>) pairs[i + 1]);
        }
        return m;
    }

    private static Schema<?> str() {
        return new StringSchema();
    }

    private static Schema<?> str(String description) {
        return new StringSchema().description(description);
    }

    private static Schema<?> time() {
        return new StringSchema().format("date-time");
    }

    private static Schema<?> integer() {
        return new IntegerSchema().format("int64");
    }

    private static Schema<?> number() {
        return new NumberSchema();
    }

    private static Schema<?> bool() {
        return new BooleanSchema();
    }

    private static Schema<?> any() {
        return new ObjectSchema();
    }

    private static Schema<?> enumOf(String... values) {
        StringSchema s = new StringSchema();
        s.setEnum(List.of(values));
        return s;
    }

    private static Schema<?> array(Schema<?> items) {
        return new ArraySchema().items(items);
    }

    /** Any JSON value, null included. */
    private static Schema<?> anyValue() {
        return nullable(new Schema<>());
    }

    private static <T extends Schema<?>> T nullable(T s) {
        s.setNullable(true);
        return s;
    }

    /** The MCP endpoint's JSON-RPC 2.0 messages: one message, or a batch (array) on the protocol revision that had them. */
    private static void mcp(Components c) {
        c.addSchemas("JsonRpcMessage", obj(props(
                "jsonrpc", enumOf("2.0"), "id", anyValue().description("a string or number; absent on notifications"),
                "method", str("e.g. initialize, tools/list, tools/call"), "params", anyValue(),
                "result", anyValue(), "error", ref("JsonRpcErrorObject")), "jsonrpc")
                .description("A JSON-RPC 2.0 request, notification or response (MCP)"));
        c.addSchemas("JsonRpcErrorObject", obj(props("code", integer(), "message", str(), "data", anyValue()),
                "code", "message"));
        c.addSchemas("JsonRpcError", obj(props("jsonrpc", enumOf("2.0"),
                "id", anyValue().description("null: a transport error answers no request it could read"),
                "error", ref("JsonRpcErrorObject")), "jsonrpc", "id", "error")
                .description("A JSON-RPC 2.0 error response: how the MCP transport refuses a message (the MCP wire format)"));
        // no type: an object or an array (the request validator the HTTP tests use refuses valid values against anyOf)
        c.addSchemas("McpMessages", new Schema<>()
                .description("One JSON-RPC message (JsonRpcMessage), or a batch of them: an array (protocol 2025-03-26)"));
        op("POST /mcp", "McpMessages", Map.of("200", "McpMessages"));
    }

    /** The content library's posts and revisions, and a form's description for frontends. */
    private static void contentAndForms(Components c) {
        Schema<?> status = enumOf("draft", "pending", "publish", "private");
        c.addSchemas("Post", obj(props(
                "id", str("post_..."), "object", enumOf("post"), "revision", integer(), "title", nullableStr(),
                "content_html", str("sanitized HTML"), "excerpt", nullableStr(), "tags", array(str()),
                "categories", array(str()), "seo_description", nullableStr(), "post_type", str(), "status", status,
                "metadata", any(), "featured_image", nullable(str("media_... of an image of the workspace")),
                "user_id", nullableStr(), "created_at", time(), "updated_at", time()),
                "id", "object", "revision", "content_html", "status", "created_at"));
        c.addSchemas("PostList", page("Post"));
        Schema<?> patch = obj(props("status", status, "categories", array(str()), "tags", array(str()),
                "metadata", any(), "featured_image", nullable(str("media_... of an image of the workspace, or null"))));
        c.addSchemas("PostPatch", patch.description("the fields to change (no other field is accepted); a new revision"));
        c.addSchemas("PostRevision", obj(props(
                "object", enumOf("post_revision"), "post_id", str(), "revision", integer(), "run_id", nullableStr(),
                "model", nullableStr(), "release", nullableStr(), "operation", str(), "user_id", nullableStr(),
                "created_at", time(), "status", status, "title", nullableStr(),
                "content_html", str(), "excerpt", nullableStr(), "tags", array(str()), "categories", array(str()),
                "seo_description", nullableStr(), "post_type", str(), "metadata", any(),
                "featured_image", nullableStr()),
                "object", "post_id", "revision", "operation", "created_at")
                .description("a revision; the list leaves out its content (content_html and the fields after it)"));
        c.addSchemas("PostRevisionList", obj(props("object", enumOf("list"), "data", array(ref("PostRevision"))), "data"));
        c.addSchemas("Form", obj(props(
                "object", enumOf("form"), "id", str(), "slug", str(), "name", str(), "description", nullableStr(),
                "mode", str(), "version", str(),
                "fields", array(obj(props("id", str(), "label", str(), "type", str(), "required", bool(),
                        "min", nullable(new NumberSchema()), "max", nullable(new NumberSchema()),
                        "min_length", nullableInt(), "max_length", nullableInt(), "pattern", str(),
                        "options", array(obj(props("value", str(), "label", str()), "value", "label")),
                        "placeholder", str(), "help", str(), "message", str()),
                        "id", "type", "required")),
                "rules", array(obj(props("field", str(), "message", str()))),
                "output", enumOf("text", "json"), "params", array(str())),
                "object", "slug", "fields"));
    }

    private static Schema<?> page(String item) {
        return obj(props("object", enumOf("list"), "data", array(ref(item)), "total", integer(),
                "limit", integer(), "offset", integer()), "data");
    }

    private static Schema<?> credits() {
        return str("decimal credits with six places, e.g. 0.001000").pattern("^-?[0-9]+(\\.[0-9]{1,6})?$");
    }

    private static Schema<?> nullableStr() {
        return nullable(new StringSchema());
    }

    private static Schema<?> nullableTime() {
        return nullable(new StringSchema().format("date-time"));
    }

    private static Schema<?> nullableInt() {
        return nullable(new IntegerSchema().format("int64"));
    }

    // ---- the schemas --------------------------------------------------------------------------------

    static void register(Components c) {
        c.addSchemas("FieldError", obj(props(
                "path", str("JSON path of the field, e.g. $.input.text"),
                "message", str()), "path", "message"));
        c.addSchemas("Problem", obj(props(
                "type", str("urn:aimp:problem:<code>"),
                "title", str(),
                "status", new IntegerSchema(),
                "detail", str(),
                "code", str("stable machine-readable code, e.g. invalid_field"),
                "category", enumOf("authentication", "permission", "limit", "invalid_request", "configuration",
                        "provider", "execution"),
                "request_id", str(),
                "run_id", str("the failed run, when the failure is a run's"),
                "errors", array(ref("FieldError"))),
                "type", "title", "status", "detail", "code", "category", "request_id")
                .description("RFC 9457 problem details (application/problem+json)"));

        c.addSchemas("RunRequest", obj(props(
                "model", str("published model slug or id"),
                "mode", str("a mode of the model's contract (default execute)"),
                "scope", str("letters, digits, '.', '_' and '-', up to 64 characters; required by vector modes")
                        .pattern("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"),
                "input", any().description("checked against the mode's JSON Schema"),
                "params", any(),
                "options", obj(props("async", bool(), "timeout_ms", number().description("whole milliseconds"),
                        "persist", bool(), "release", str("a release version such as 1.0.0"),
                        "dry_run", bool().description("report what would change, write nothing (content runs)"),
                        "again", bool().description("redo work already done, e.g. re-edit a post (content runs)"))))
                , "model", "input"));
        c.addSchemas("RunUsage", obj(props("input_tokens", integer(), "output_tokens", integer(),
                "units", integer(), "estimated", bool())));
        Schema<?> runError = nullable(obj(props("code", str(), "category", str(), "status", new IntegerSchema(),
                "detail", str()), "code", "category")).description("why the run failed (as its problem said)");
        c.addSchemas("Run", obj(props(
                "id", str("run_..."),
                "object", enumOf("run"),
                "model", str(),
                "model_id", str(),
                "release", nullable(str()),
                "mode", str(),
                "scope", nullable(str()),
                "status", enumOf("queued", "running", "succeeded", "failed", "canceled"),
                "usage", ref("RunUsage"),
                "cost", obj(props("credits", str("decimal credits, e.g. 0.000120")), "credits"),
                "provider", nullable(str()),
                "entry_point", nullable(str()),
                "parent_run_id", nullable(str()),
                "created_at", time(),
                "completed_at", nullable(time()),
                "duration_ms", nullable(integer()),
                "error", runError,
                "deprecation", str()),
                "id", "object", "model", "mode", "status", "created_at")
                .description("A run. Its output member is the mode's output, any JSON value (null until the run succeeds)"));
        c.addSchemas("RunList", page("Run"));

        Example seed = new Example().summary("The seed example: execute demo-model in the playground scope")
                .value(Map.of("model", "demo-model", "mode", "execute", "scope", "playground",
                        "input", Map.of("text", "Write a one-line summary."), "params", Map.of()));
        op("POST /api/runs", "RunRequest", Map.of("200", "Run", "202", "Run"), Map.of("seed", seed));
        op("GET /api/runs", null, Map.of("200", "RunList"));
        op("GET /api/runs/{id}", null, Map.of("200", "Run"));
        op("POST /api/runs/{id}/cancel", null, Map.of("200", "Run"));
        c.addSchemas("MediaInitRequest", obj(props(
                "filename", str(), "content_type", str("e.g. image/png"),
                "media_type", enumOf("image", "audio", "video", "file"), "size_bytes", integer()),
                "filename", "content_type", "media_type", "size_bytes"));
        c.addSchemas("UploadTicket", obj(props(
                "upload_id", str("studio_upload_..."),
                "upload_url", str("PUT the bytes here: single use, expiring, no API key needed"),
                "method", enumOf("PUT"), "expires_at", time(), "max_bytes", integer()),
                "upload_id", "upload_url", "expires_at"));
        c.addSchemas("UploadReceipt", obj(props(
                "upload_id", str(), "status", str(), "size_bytes", integer(), "sha256", str()),
                "upload_id", "status"));
        c.addSchemas("MediaCompleteRequest", obj(props("upload_id", str()), "upload_id"));
        c.addSchemas("Media", obj(props(
                "media_ref", str("media_...: use {\"media_ref\": ..., \"filename\": ...} in run inputs"),
                "object", enumOf("media"), "media_type", str(), "content_type", str(), "size_bytes", integer(),
                "sha256", str(), "filename", str(), "width", integer(), "height", integer(), "created_at", time()),
                "media_ref", "object", "media_type", "content_type", "size_bytes", "created_at"));
        c.addSchemas("MediaList", page("Media"));

        c.addSchemas("Wallet", obj(props(
                "object", enumOf("wallet"), "balance", credits(), "reserved", credits(), "available", credits(),
                "currency", str()), "balance", "available"));
        c.addSchemas("CreditsRequest", obj(props(
                "amount", str("decimal credits to add, e.g. \"10.5\" (a JSON number is accepted too)"),
                "reason", str()), "amount"));
        c.addSchemas("LedgerEntry", obj(props(
                "id", str(), "object", enumOf("ledger_entry"), "kind", str(), "amount", credits(),
                "balance_after", credits(), "run_id", nullableStr(), "reason", nullableStr(), "user_id", nullableStr(),
                "created_at", time()), "id", "kind", "amount", "created_at"));
        c.addSchemas("LedgerPage", page("LedgerEntry"));
        c.addSchemas("UsageSummary", obj(props(
                "object", enumOf("usage_summary"), "from", time(), "to", time(), "group_by", str(),
                "data", array(obj(props("model", str(), "runs", integer(), "succeeded", integer(),
                        "failed", integer(), "blocked", integer(), "input_tokens", integer(), "output_tokens", integer(),
                        "tokens", integer(), "units", integer(), "credits", credits())))),
                "from", "to", "data"));

        Schema<?> limitValues = obj(props("requests_per_minute", nullableInt(), "tokens_per_minute", nullableInt(),
                "concurrent_runs", nullableInt(), "daily_credits", nullable(credits()),
                "monthly_credits", nullable(credits())));
        c.addSchemas("LimitValues", limitValues);
        c.addSchemas("Limits", obj(props(
                "object", enumOf("limits"), "scope", enumOf("workspace", "api_key"), "id", str(),
                "override", ref("LimitValues"), "effective", ref("LimitValues")), "scope", "id"));

        c.addSchemas("ApiKey", obj(props(
                "id", str("key_..."), "object", enumOf("api_key"), "name", str(), "prefix", str(), "role", str(),
                "models", nullable(array(str())), "expires_at", nullableTime(), "last_used_at", nullableTime(),
                "created_at", time(), "revoked_at", nullableTime(), "created_by", nullableStr()),
                "id", "object", "prefix", "role", "created_at"));
        c.addSchemas("ApiKeyList", page("ApiKey"));
        c.addSchemas("CreateKeyRequest", obj(props(
                "name", str(), "role", str(), "models", array(str()), "expires_at", time())));
        c.addSchemas("CreatedKey", obj(props(
                "key", ref("ApiKey"), "secret", str("the key itself: shown only once"), "notice", str()),
                "key", "secret"));

        c.addSchemas("Member", obj(props(
                "user_id", str(), "object", enumOf("member"), "email", str(), "name", nullableStr(), "role", str(),
                "created_at", time()), "user_id", "email", "role"));
        c.addSchemas("MemberList", page("Member"));
        c.addSchemas("Workspace", obj(props(
                "id", str(), "object", enumOf("workspace"), "name", str(), "role", str(), "created_at", time()),
                "id", "name"));
        c.addSchemas("WorkspaceList", page("Workspace"));

        c.addSchemas("JobRequest", obj(props(
                "model", str(), "mode", str(), "scope", str(), "params", any(),
                "options", obj(props("timeout_ms", number().description("whole milliseconds, per item"),
                        "persist", bool(),
                        "dry_run", bool().description("every item reports what it would change and writes nothing "
                                + "(content jobs)"),
                        "again", bool().description("items redo work already done, e.g. re-edit posts (content jobs)"))),
                "items", array(any()).description("one input per item, each checked against the mode's schema")),
                "model", "items"));
        c.addSchemas("Job", obj(props(
                "id", str("job_..."), "object", enumOf("job"), "model", str(), "mode", str(), "status", str(),
                "item_count", integer(),
                "counts", obj(props("queued", integer(), "running", integer(), "succeeded", integer(),
                        "failed", integer(), "canceled", integer())),
                "progress", number(), "created_at", time(), "completed_at", nullableTime()),
                "id", "object", "status", "item_count", "created_at"));
        c.addSchemas("JobList", page("Job"));
        c.addSchemas("JobItem", obj(props(
                "index", integer(), "status", str(), "run_id", nullableStr(),
                "error", nullable(any()), "attempts", integer()), "index", "status"));
        c.addSchemas("JobItemPage", page("JobItem"));

        c.addSchemas("Conversation", obj(props(
                "id", str(), "object", enumOf("conversation"), "model", str(), "created_at", time(),
                "updated_at", time()), "id"));
        c.addSchemas("ConversationList", page("Conversation"));
        c.addSchemas("KnowledgeBase", obj(props(
                "object", str(), "model", str(), "collection", str(), "scope", str(), "items", integer()),
                "model", "collection", "scope"));
        c.addSchemas("KnowledgeBaseList", page("KnowledgeBase"));

        c.addSchemas("UsageRecord", obj(props(
                "id", str(), "object", enumOf("usage_record"),
                "run_id", nullable(str("null for a request refused before it became a run (status blocked)")), "created_at", time(),
                "status", str(), "error_code", nullableStr(), "model", str(), "model_id", str(),
                "release", nullableStr(), "mode", str(), "kind", nullableStr(), "provider", nullableStr(),
                "provider_model", nullableStr(), "input_tokens", integer(), "output_tokens", integer(),
                "units", integer(), "credits", credits()), "id", "run_id", "created_at", "status", "model"));
        c.addSchemas("UsageRecordPage", page("UsageRecord"));
        c.addSchemas("ExecutionLogPage", page("ExecutionLog"));
        c.addSchemas("ExecutionLog", obj(props("id", str(), "run_id", nullableStr(), "created_at", time())));
        c.addSchemas("UsageStats", obj(props(
                "interval", str(), "group_by", str(), "from", time(), "to", time(),
                "data", array(obj(props("bucket_start", time(), "model", str(), "runs", integer(),
                        "succeeded", integer(), "failed", integer(), "input_tokens", integer(),
                        "output_tokens", integer(), "units", integer(), "credits", credits())))),
                "from", "to", "data"));
        c.addSchemas("AuthStatus", obj(props(
                "authenticated", bool(), "principal_type", enumOf("api_key", "user"), "workspace", ref("Workspace"),
                "role", str(), "user_id", nullableStr(), "key_id", nullableStr(), "key_prefix", nullableStr()),
                "authenticated", "principal_type", "role"));
        contentAndForms(c);
        c.addSchemas("Permissions", obj(props(
                "role", str(), "permissions", new ObjectSchema().additionalProperties(bool())),
                "role", "permissions").description("The caller's role and permissions; models is the key's model allowlist"
                + " (a list of slugs) or \"all\""));

        c.addSchemas("WebhookEndpointRequest", obj(props(
                "url", str("http or https URL on aimp.webhooks.allowed-hosts; events are POSTed there"),
                "events", array(str()).description("event types, e.g. run.completed, job.completed"),
                "description", str()), "url", "events"));
        c.addSchemas("WebhookEndpoint", obj(props(
                "id", str("whe_..."), "object", enumOf("webhook_endpoint"), "url", str(), "events", array(str()),
                "description", nullableStr(), "created_at", time(),
                "secret", str("whsec_...: signs every delivery; answered only when the endpoint is created")),
                "id", "object", "url", "events", "created_at"));
        c.addSchemas("WebhookEndpointList", obj(props("object", enumOf("list"), "data", array(ref("WebhookEndpoint"))),
                "data"));
        c.addSchemas("WebhookDelivery", obj(props(
                "id", str("whd_..."), "object", enumOf("webhook_delivery"), "endpoint_id", str(),
                "event_id", str("evt_...: the webhook-id header, the same on every attempt"), "event_type", str(),
                "status", enumOf("pending", "delivering", "succeeded", "failed"), "attempts", integer(),
                "response_status", nullable(new IntegerSchema()), "last_error", nullableStr(),
                "next_attempt_at", nullableTime(), "created_at", time(), "completed_at", nullableTime()),
                "id", "object", "endpoint_id", "event_id", "event_type", "status", "attempts", "created_at"));
        c.addSchemas("WebhookDeliveryPage", page("WebhookDelivery"));
        op("POST /api/webhooks/endpoints", "WebhookEndpointRequest", Map.of("201", "WebhookEndpoint"));
        op("GET /api/webhooks/endpoints", null, Map.of("200", "WebhookEndpointList"));
        op("GET /api/webhooks/endpoints/{id}", null, Map.of("200", "WebhookEndpoint"));
        op("GET /api/webhooks/endpoints/{id}/deliveries", null, Map.of("200", "WebhookDeliveryPage"));
        op("POST /api/webhooks/endpoints/{id}/ping", null, Map.of("202", "WebhookDelivery"));
        Schema<?> target = obj(props(
                "model", str("published model slug or id"),
                "mode", str("a mode of the model's contract (default execute)"),
                "release", str("a release version to run instead of the current one"),
                "params", any(),
                "overrides", any().description("fields of the model's kind block replaced for this call only: text "
                        + "prompt/system, chat persona, assistant instructions")), "model");
        c.addSchemas("PlaygroundTarget", target);
        c.addSchemas("PlaygroundCompareRequest", obj(props(
                "input", any().description("the one input every target runs on"),
                "scope", str().pattern("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"),
                "targets", array(ref("PlaygroundTarget")).minItems(2).maxItems(8),
                "options", obj(props("timeout_ms", integer()))), "input", "targets"));
        Schema<?> targetProblem = nullable(obj(props(
                "type", str(), "title", str(), "status", new IntegerSchema(), "detail", str(), "code", str(),
                "category", str(), "errors", array(ref("FieldError"))), "status", "code", "category"))
                .description("why this target failed (a refused target has no run)");
        c.addSchemas("PlaygroundResult", obj(props(
                "target", integer().description("index in targets"),
                "model", str(), "mode", nullableStr(), "release", nullableStr(),
                "status", enumOf("succeeded", "failed"),
                "run_id", nullableStr(),
                "usage", ref("RunUsage"),
                "cost", obj(props("credits", credits()), "credits"),
                "provider", nullableStr(),
                "route", nullableStr().description("the provider model of the route that answered"),
                "latency_ms", integer(),
                "overridden", bool(),
                "problem", targetProblem),
                "target", "model", "status", "usage", "cost", "latency_ms")
                .description("One target's run; output is the mode's output, any JSON value (null when it failed)"));
        c.addSchemas("PlaygroundComparison", obj(props(
                "object", enumOf("playground.comparison"),
                "results", array(ref("PlaygroundResult")),
                "succeeded", integer(), "failed", integer(),
                "total_cost", obj(props("credits", credits()), "credits")),
                "object", "results", "total_cost"));
        op("POST /api/playground/compare", "PlaygroundCompareRequest", Map.of("200", "PlaygroundComparison"));
        c.addSchemas("PlaygroundEvaluationRequest", obj(props(
                "targets", array(ref("PlaygroundTarget")).minItems(1).maxItems(8),
                "cases", array(obj(props(
                        "name", str(), "input", any(), "params", any(),
                        "expect", any().description("contains, not_contains, regex, json_schema, equals {path, value}, "
                                + "max_cost, max_latency_ms, tool_called {name, called, arguments}, citations_include, "
                                + "judge (a rubric or {rubric, model})")), "input")).minItems(1).maxItems(100),
                "judge", obj(props("model", str("the model that grades judge expectations")), "model"),
                "scope", str(),
                "model", str("instead of targets and cases: run this model's catalog suite (tests:) against release"),
                "release", str("with model: the release to validate (default: the current one)"),
                "options", obj(props("timeout_ms", integer(),
                        "async", bool().description("true: queue the suite as a bulk job and answer 202 with the "
                                + "location to poll")))))
                .description("targets and cases, or model (and release) to run the model's catalog suite"));
        Schema<?> judged = nullable(obj(props("model", str(), "run_id", nullableStr(),
                "verdict", nullable(enumOf("pass", "fail")), "reason", str(),
                "cost", obj(props("credits", credits()), "credits")), "model", "cost"));
        c.addSchemas("PlaygroundEvaluation", obj(props(
                "object", enumOf("playground.evaluation"),
                "status", enumOf("completed", "stopped").description("stopped: the wallet or a limit refused a run; "
                        + "the cases after it are not_run"),
                "stopped_by", nullable(obj(props("status", new IntegerSchema(), "code", str(), "detail", str()),
                        "status", "code")).description("the refusal that stopped the suite"),
                "targets", array(obj(props("target", integer(), "model", str(), "release", nullableStr(),
                        "cases", integer(), "passed", integer(), "failed", integer(), "not_run", integer(),
                        "pass_rate", number().description("passed / cases, 0 to 1"),
                        "cost", obj(props("credits", credits()), "credits")),
                        "target", "model", "cases", "passed", "failed", "pass_rate")),
                "results", array(obj(props("case", integer(), "name", str(), "target", integer(), "model", str(),
                        "status", enumOf("ran", "not_run"), "passed", bool(), "reasons", array(str()), "run_id", nullableStr(),
                        "cost", obj(props("credits", credits()), "credits"), "latency_ms", integer(),
                        "judge", judged, "problem", targetProblem),
                        "case", "target", "passed", "reasons")),
                "judge_cost", obj(props("credits", credits()), "credits"),
                "total_cost", obj(props("credits", credits()), "credits")),
                "object", "status", "targets", "results", "total_cost")
                .description("With a catalog suite also model, release and suite: catalog. Per case and target: passed and the reasons it failed; per target the pass rate"));
        c.addSchemas("PlaygroundEvaluationJob", obj(props(
                "id", str("job_..."), "object", enumOf("playground.evaluation_job"),
                "status", enumOf("running", "completed", "failed", "canceled"),
                "location", str("where to poll it"), "created_at", time(), "completed_at", nullableTime(),
                "report", nullable(any()).description("once completed: the report the synchronous call answers "
                        + "(a PlaygroundEvaluation)"),
                "problem", nullable(obj(props("code", str(), "category", str(), "status", new IntegerSchema(),
                        "detail", str()), "code")).description("once failed: what stopped the suite")),
                "id", "object", "status", "location"));
        op("POST /api/playground/evaluations", "PlaygroundEvaluationRequest",
                Map.of("200", "PlaygroundEvaluation", "202", "PlaygroundEvaluationJob"));
        op("GET /api/playground/evaluations/{id}", null, Map.of("200", "PlaygroundEvaluationJob"));
        c.addSchemas("PlaygroundSettingsRequest", obj(props(
                "min_role", nullable(str()).description("the weakest role that may use the playground: member, developer, "
                        + "admin or owner; null: the default, developer")),
                "min_role"));
        c.addSchemas("PlaygroundSettings", obj(props(
                "object", enumOf("playground.settings"),
                "min_role", enumOf("member", "developer", "admin", "owner"),
                "default", bool().description("true while the workspace has not set a role")),
                "object", "min_role", "default"));
        op("GET /api/playground/settings", null, Map.of("200", "PlaygroundSettings"));
        op("PUT /api/playground/settings", "PlaygroundSettingsRequest", Map.of("200", "PlaygroundSettings"));

        mcp(c);
        op("POST /api/media/upload/init", "MediaInitRequest", Map.of("201", "UploadTicket"));
        op("PUT /api/media/upload/{token}", null, Map.of("200", "UploadReceipt"));
        op("POST /api/media/upload/complete", "MediaCompleteRequest", Map.of("201", "Media"));
        op("GET /api/media", null, Map.of("200", "MediaList"));
        op("GET /api/media/{mediaRef}", null, Map.of("200", "Media"));
        op("GET /api/billing/wallet", null, Map.of("200", "Wallet"));
        op("POST /api/billing/wallet/credits", "CreditsRequest", Map.of("200", "Wallet"));
        op("GET /api/billing/ledger", null, Map.of("200", "LedgerPage"));
        op("GET /api/billing/usage/summary", null, Map.of("200", "UsageSummary"));
        op("GET /api/limits", null, Map.of("200", "Limits"));
        op("PUT /api/limits", "LimitValues", Map.of("200", "Limits"));
        op("GET /api/keys/{id}/limits", null, Map.of("200", "Limits"));
        op("PUT /api/keys/{id}/limits", "LimitValues", Map.of("200", "Limits"));
        op("GET /api/keys", null, Map.of("200", "ApiKeyList"));
        op("GET /api/keys/{id}", null, Map.of("200", "ApiKey"));
        op("POST /api/keys", "CreateKeyRequest", Map.of("201", "CreatedKey"));
        op("GET /api/members", null, Map.of("200", "MemberList"));
        op("POST /api/members", "AddMemberRequest", Map.of("201", "InvitationView"));
        op("POST /api/workspaces", "CreateWorkspaceRequest", Map.of("201", "WorkspaceView"));
        op("GET /api/workspaces", null, Map.of("200", "WorkspaceList"));
        op("POST /api/jobs", "JobRequest", Map.of("202", "Job"));
        op("GET /api/jobs", null, Map.of("200", "JobList"));
        op("GET /api/jobs/{id}", null, Map.of("200", "Job"));
        op("GET /api/jobs/{id}/items", null, Map.of("200", "JobItemPage"));
        op("POST /api/jobs/{id}/cancel", null, Map.of("200", "Job"));
        op("POST /api/jobs/{id}/resume", null, Map.of("200", "Job"));
        op("GET /api/conversations", null, Map.of("200", "ConversationList"));
        op("GET /api/knowledge-bases", null, Map.of("200", "KnowledgeBaseList"));
        op("GET /api/logs/usage", null, Map.of("200", "UsageRecordPage"));
        op("GET /api/logs/executions", null, Map.of("200", "ExecutionLogPage"));
        op("GET /api/stats/usage", null, Map.of("200", "UsageStats"));
        op("GET /api/status/auth", null, Map.of("200", "AuthStatus"));
        op("GET /api/status/permissions", null, Map.of("200", "Permissions"));
        op("GET /api/content/posts", null, Map.of("200", "PostList"));
        op("GET /api/content/posts/{id}", null, Map.of("200", "Post"));
        op("PATCH /api/content/posts/{id}", "PostPatch", Map.of("200", "Post"));
        op("GET /api/content/posts/{id}/revisions", null, Map.of("200", "PostRevisionList"));
        op("GET /api/content/posts/{id}/revisions/{n}", null, Map.of("200", "PostRevision"));
        op("POST /api/content/posts/{id}/revisions/{n}/restore", null, Map.of("200", "Post"));
        op("GET /api/forms/{slug}", null, Map.of("200", "Form"));
    }
}
