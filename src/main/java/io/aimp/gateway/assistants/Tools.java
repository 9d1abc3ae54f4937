package io.aimp.gateway.assistants;

import io.aimp.gateway.catalog.KnowledgeBase;
import io.aimp.gateway.common.GatewayException;
import io.aimp.gateway.providers.ToolSpec;
import io.aimp.gateway.runs.Execution;
import io.aimp.gateway.runs.RunService;
import io.aimp.gateway.vectors.SearchHit;
import io.aimp.gateway.vectors.VectorService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.springframework.beans.factory.ObjectProvider;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The built-in tools an assistant may call. Each call answers a JSON document for the model: the
 * tool's result, or {@code {"error": ...}} when it failed or was refused. A tool never fails the run.
 * Every call lives within the run's deadline: none starts once it has passed, {@code run_code} runs
 * for at most the time left, a nested run gets the time left as its {@code timeout_ms}, and an
 * {@code http_get} still fetching at the deadline is abandoned. A step's calls beyond
 * {@code assistant.max_tool_calls_per_step} are not executed; the model is told so.
 */
final class Tools {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** The API's limit on {@code options.timeout_ms} (see the README's run options). */
    private static final long MAX_NESTED_TIMEOUT_MS = 600_000;
    private static final ExecutorService FETCHES = Executors.newVirtualThreadPerTaskExecutor();

    /** What one call answered: the text for the model, whether it succeeded and whether the tool ran at all. */
    record Answer(boolean ok, String content, boolean executed) {
        Answer(boolean ok, String content) {
            this(ok, content, true);
        }
    }

    private final ObjectProvider<VectorService> vectors;
    private final ObjectProvider<RunService> runs;
    private final HttpGetTool http;
    private final Supplier<CodeSandbox> sandbox;
    private final AssistantsProperties props;
    private final ObjectMapper json;

    Tools(ObjectProvider<VectorService> vectors, ObjectProvider<RunService> runs, HttpGetTool http, Supplier<CodeSandbox> sandbox,
          AssistantsProperties props, ObjectMapper json) {
        this.vectors = vectors;
        this.runs = runs;
        this.http = http;
        this.sandbox = sandbox;
        this.props = props;
        this.json = json;
    }

    /** The specs the provider is offered, for the tools the assistant enables. */
    List<ToolSpec> specs(AssistantSettings s) {
        List<ToolSpec> specs = new ArrayList<>();
        if (s.has("knowledge_search")) {
            specs.add(new ToolSpec("knowledge_search", "Search the knowledge base; returns numbered passages with their sources.",
                    schema(Map.of("query", Map.of("type", "string", "description", "what to look for")), "query")));
        }
        if (s.has("run_model")) {
            specs.add(new ToolSpec("run_model", "Run another published model (one of: " + String.join(", ", s.runModels())
                    + ") and return its output.", schema(Map.of(
                    "model", Map.of("type", "string", "enum", s.runModels()),
                    "mode", Map.of("type", "string", "description", "default: execute"),
                    "input", Map.of("type", "object"),
                    "params", Map.of("type", "object")), "model", "input")));
        }
        if (s.has("http_get")) {
            specs.add(new ToolSpec("http_get", "Fetch a web page or API over HTTP GET (allowed hosts only).",
                    schema(Map.of("url", Map.of("type", "string")), "url")));
        }
        if (s.has("run_code")) {
            specs.add(new ToolSpec("run_code", "Run JavaScript in a sandbox without I/O; returns the value of the last "
                    + "expression and what console.log printed.", schema(Map.of("code", Map.of("type", "string")), "code")));
        }
        return specs;
    }

    /**
     * Runs the {@code index}-th (from 0) of the calls one step asked for, before the run's deadline
     * ({@link System#nanoTime()} based). A call past the step's cap or the deadline does not run: it
     * answers the model why, with {@link Answer#executed()} false.
     */
    Answer call(Execution run, AssistantSettings s, String name, JsonNode args, int index, long deadlineNanos) {
        if (index >= s.maxToolCallsPerStep()) {
            return notExecuted("a step may make at most " + s.maxToolCallsPerStep() + " tool calls "
                    + "(assistant.max_tool_calls_per_step); ask for the others in the next step");
        }
        if (deadlineNanos - System.nanoTime() <= 0) {
            return notExecuted("the run's time limit was reached");
        }
        if (!s.has(name)) {
            return error("no tool named " + name);
        }
        try {
            return switch (name) {
                case "knowledge_search" -> knowledgeSearch(run, s.knowledgeSearch(), args);
                case "run_model" -> runModel(run, s, args, deadlineNanos);
                case "http_get" -> httpGet(args, deadlineNanos);
                case "run_code" -> runCode(run, s.runCodeTimeoutMs(), args, deadlineNanos);
                default -> error("no tool named " + name);
            };
        } catch (HttpGetTool.Refused e) {
            return error(e.getMessage());
        }
    }

    private Answer knowledgeSearch(Execution run, KnowledgeBase kb, JsonNode args) {
        String query = args.path("query").asString("");
        if (query.isBlank()) {
            return error("query is required");
        }
        try {
            List<SearchHit> found = vectors.getObject().search(run, kb.model(), kb.collection(), kb.scope(), query,
                    kb.topK(), kb.minScore());
            ObjectNode out = NODES.objectNode();
            var passages = out.putArray("passages");
            int i = 1;
            for (SearchHit p : found) {
                ObjectNode o = passages.addObject();
                o.put("index", i++);
                o.put("source", p.source());
                o.put("score", Math.round(p.score() * 10_000) / 10_000.0);
                o.put("text", p.text());
            }
            return ok(out);
        } catch (GatewayException e) {
            return error(e.detail());
        }
    }

    private Answer runModel(Execution run, AssistantSettings s, JsonNode args, long deadlineNanos) {
        String model = args.path("model").asString("");
        if (!s.runModels().contains(model)) {
            return error("model " + model + " is not one this assistant may run (" + String.join(", ", s.runModels()) + ")");
        }
        ObjectNode body = NODES.objectNode();
        body.put("model", model);
        body.put("mode", args.path("mode").asString("execute"));
        body.set("input", args.path("input").isObject() ? args.get("input") : NODES.objectNode());
        if (args.path("params").isObject()) {
            body.set("params", args.get("params"));
        }
        // the nested run lives within what is left of this one (capped at the largest timeout_ms a request may ask for)
        long left = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
        body.putObject("options").put("timeout_ms", Math.clamp(left, 1, MAX_NESTED_TIMEOUT_MS));
        try {
            RunService.Result r = runs.getObject().submit(run.principal(), body,
                    new RunService.Entry(run.requestId(), "assistant", null, run.runId(), run.deadlineMillis(),
                            run.sideEffectFree()));
            if (r instanceof RunService.RunOutcome outcome) {
                ObjectNode out = NODES.objectNode();
                out.put("run_id", outcome.run().id());
                out.set("output", outcome.run().output());
                return ok(out);
            }
            return error("the run answered a stored response");
        } catch (GatewayException e) {
            ObjectNode out = NODES.objectNode();
            out.put("error", e.detail());
            out.put("code", e.code());
            if (e.extensions().get("run_id") instanceof String id) {
                out.put("run_id", id);
            }
            return new Answer(false, json.writeValueAsString(out));
        }
    }

    private Answer httpGet(JsonNode args, long deadlineNanos) {
        String url = args.path("url").asString("");
        Future<HttpGetTool.Fetched> fetch = FETCHES.submit(() -> http.get(url));
        HttpGetTool.Fetched f;
        try {
            f = fetch.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            fetch.cancel(true);
            return error("the fetch did not finish within the run's remaining time");
        } catch (InterruptedException e) {
            fetch.cancel(true);
            Thread.currentThread().interrupt();
            return error("canceled");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof HttpGetTool.Refused refused) {
                throw refused;
            }
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw new IllegalStateException(e.getCause());
        }
        ObjectNode out = NODES.objectNode();
        out.put("status", f.status());
        out.put("content_type", f.contentType());
        out.put("body", f.body());
        out.put("truncated", f.truncated());
        return new Answer(f.status() < 400, json.writeValueAsString(out));
    }

    private Answer runCode(Execution run, Integer timeoutMs, JsonNode args, long deadlineNanos) {
        String code = args.path("code").asString("");
        Duration limit = props.codeTimeout();
        if (timeoutMs != null && timeoutMs < limit.toMillis()) {
            limit = Duration.ofMillis(timeoutMs);
        }
        CodeSandbox.Outcome o = sandbox.get().run(run.principal().workspaceId(), code, limit, deadlineNanos);
        ObjectNode out = NODES.objectNode();
        if (o.ok()) {
            out.put("result", o.result());
            out.put("output", o.output());
            return ok(out);
        }
        if (o.ending() == CodeSandbox.Ending.NOT_STARTED) {
            return notExecuted("the run's time limit was reached before the script could start");
        }
        out.put("error", o.error());
        out.put("output", o.output());
        return new Answer(false, json.writeValueAsString(out));
    }

    private Answer notExecuted(String why) {
        ObjectNode out = NODES.objectNode();
        out.put("error", "not executed: " + why);
        return new Answer(false, json.writeValueAsString(out), false);
    }

    private Answer ok(ObjectNode out) {
        return new Answer(true, json.writeValueAsString(out));
    }

    private Answer error(String message) {
        ObjectNode out = NODES.objectNode();
        out.put("error", message);
        return new Answer(false, json.writeValueAsString(out));
    }

    private JsonNode schema(Map<String, Object> properties, String... required) {
        ObjectNode s = NODES.objectNode();
        s.put("type", "object");
        s.set("properties", json.valueToTree(properties));
        var req = s.putArray("required");
        for (String r : required) {
            req.add(r);
        }
        return s;
    }
}
